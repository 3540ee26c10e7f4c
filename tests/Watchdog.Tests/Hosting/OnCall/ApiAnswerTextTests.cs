using System.Text.Json;
using Watchdog.Hosting.OnCall;

namespace Watchdog.Tests.Hosting.OnCall;

/// <summary>The API's answers as the on-call verbs print them: the fields they read, and outside text kept off the terminal raw.</summary>
public sealed class ApiAnswerTextTests
{
    private const string Target = """
        {"name": "checkout", "decision": {"action": "none", "authority": "automatic", "inconclusive": true, "rule": null},
         "signals": [{"signal": "error_rate", "state": "value", "text": "0.01"}, {"signal": "latency", "state": "error", "error": "timeout"}],
         "openIncident": null
        """;

    [Fact]
    public void Targets_WithoutASettlingField_HaveNoSettlingColumn()
    {
        var text = ApiAnswerText.Targets(Parse($"[{Target}}}]"));

        text.ShouldBe(
            "TARGET    DECISION             SIGNALS                         INCIDENT\n" +
            "checkout  none (inconclusive)  error_rate=0.01, latency=error  -\n");
    }

    [Fact]
    public void Targets_WithASettlingField_ShowIt()
    {
        var text = ApiAnswerText.Targets(Parse($$"""[{{Target}}, "settling": true}]"""));

        var lines = text.Split('\n');
        lines[0].ShouldEndWith("INCIDENT  SETTLING");
        lines[1].ShouldEndWith("-         yes");
    }

    [Fact]
    public void Incidents_ControlCharactersInOutsideText_AreEscaped()
    {
        var text = ApiAnswerText.Incidents(Parse("""[{"id": 3, "target": "checkout", "status": "open", "detectedAt": "2026-12-03T06:12:04Z", "triggerRule": "alert", "triggerSummary": "label \u001b[31mred\nnext"}]"""));

        text.ShouldContain(@"label \u001b[31mred\nnext");
        text.ShouldContain("2026-12-03 06:12:04 UTC");
        text.ShouldNotContain("\u001b");
        text.Split('\n', StringSplitOptions.RemoveEmptyEntries).Length.ShouldBe(2);
    }

    private static JsonElement Parse(string json)
    {
        using var document = JsonDocument.Parse(json);
        return document.RootElement.Clone();
    }
}
