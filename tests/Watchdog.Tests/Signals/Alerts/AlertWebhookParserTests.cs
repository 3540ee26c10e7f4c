using System.Text;
using Watchdog.Signals.Alerts;

namespace Watchdog.Tests.Signals.Alerts;

public sealed class AlertWebhookParserTests
{
    [Fact]
    public void Parse_CapturedFiringPayload_ReadsEveryFieldTheIntakeKeeps()
    {
        var parse = Parse(AlertFixtures.Firing);

        parse.Error.ShouldBeNull();
        var alert = parse.Alerts.ShouldHaveSingleItem();
        alert.Fingerprint.ShouldBe(AlertFixtures.Fingerprint);
        alert.Status.ShouldBe("firing");
        alert.AlertName.ShouldBe("HighErrorRatio");
        alert.Labels.ShouldBe(new Dictionary<string, string>
        {
            ["alertname"] = "HighErrorRatio",
            ["rollback"] = "true",
            ["service"] = "checkout",
            ["severity"] = "critical",
        });
        alert.StartsAt.ShouldBe(AlertFixtures.StartsAt);
        alert.EndsAt.ShouldBeNull();
        alert.Payload.ShouldStartWith("{");
        alert.Payload.ShouldContain("\"generatorURL\"");
    }

    [Fact]
    public void Parse_CapturedResolvedPayload_ReadsItsEnd()
    {
        var alert = Parse(AlertFixtures.Resolved).Alerts.ShouldHaveSingleItem();

        alert.Status.ShouldBe("resolved");
        alert.EndsAt.ShouldBe(AlertFixtures.ResolvedEndsAt);
    }

    [Fact]
    public void Parse_NanosecondTimesOfAlertsPostedToAlertmanager_AreRead()
    {
        var alert = Parse(AlertFixtures.Firing.Replace("2026-11-22T05:25:21.836Z", "2026-11-22T05:25:21.797504711Z", StringComparison.Ordinal))
            .Alerts.ShouldHaveSingleItem();

        alert.StartsAt.ShouldBe(new DateTimeOffset(2026, 11, 22, 5, 25, 21, TimeSpan.Zero).AddTicks(7_975_047));
    }

    [Fact]
    public void Parse_NoAlerts_IsValidAndEmpty()
    {
        var parse = Parse("""{"version":"4","status":"firing","alerts":[]}""");

        parse.Error.ShouldBeNull();
        parse.Alerts.ShouldBeEmpty();
    }

    [Theory]
    [InlineData("[1,2]", "expected an Alertmanager webhook object, got a JSON array")]
    [InlineData("""{"alerts":[]}""", "version: missing; Watchdog reads Alertmanager webhook payloads of version \"4\"")]
    [InlineData("""{"version":4,"alerts":[]}""", "version: unsupported webhook version 4; Watchdog reads Alertmanager webhook payloads of version \"4\"")]
    [InlineData("""{"version":"\ud800","alerts":[]}""", "version: unsupported webhook version \"\\ud800\"; Watchdog reads Alertmanager webhook payloads of version \"4\"")]
    [InlineData("""{"version":"4"}""", "alerts: expected an array of alerts")]
    [InlineData("""{"version":"4","alerts":["x"]}""", "alerts[0]: expected an alert object, got a JSON string")]
    [InlineData("""{"version":"4","alerts":[{"status":"firing"}]}""", "alerts[0].fingerprint: expected a non-empty string")]
    [InlineData("""{"version":"4","alerts":[{"fingerprint":"f","status":"pending"}]}""", "alerts[0].status: expected \"firing\" or \"resolved\"")]
    [InlineData("""{"version":"4","alerts":[{"fingerprint":"f","status":"firing"}]}""", "alerts[0].labels: expected an object of label names to values")]
    [InlineData("""{"version":"4","alerts":[{"fingerprint":"f","status":"firing","labels":{"n":1}}]}""", "alerts[0].labels.n: expected a string, got a JSON number")]
    [InlineData("""{"version":"4","alerts":[{"fingerprint":"f","status":"firing","labels":{}}]}""", "alerts[0].startsAt: expected an RFC 3339 time")]
    [InlineData("""{"version":"4","alerts":[{"fingerprint":"f","status":"firing","labels":{},"startsAt":"2026-11-22T05:25:21Z","endsAt":"soon"}]}""", "alerts[0].endsAt: expected an RFC 3339 time")]
    [InlineData("""{"version":"4","alerts":[{"fingerprint":"f","status":"firing","labels":{},"startsAt":"2026-11-22T05:25:21Z\ud800"}]}""", "alerts[0].startsAt: expected an RFC 3339 time")]
    public void Parse_PayloadThatIsNotVersion4_IsRefusedNamingTheBadPart(string json, string error)
    {
        var parse = Parse(json);

        parse.Error.ShouldBe(error);
        parse.Alerts.ShouldBeEmpty();
    }

    // Half a surrogate pair, written as its JSON escape, is well-formed JSON that decodes to no text.
    [Theory]
    [InlineData("""{"fingerprint":"f","status":"firing","labels":{"note":"x\ud800y"}}""", "alerts[0].labels.note: malformed JSON string: ")]
    [InlineData("""{"fingerprint":"f","status":"firing","labels":{"\udc00":"x"}}""", "alerts[0].labels: malformed JSON string: ")]
    [InlineData("""{"fingerprint":"\ud800","status":"firing","labels":{}}""", "alerts[0].fingerprint: malformed JSON string: ")]
    [InlineData("""{"fingerprint":"f","status":"\udfff","labels":{}}""", "alerts[0].status: malformed JSON string: ")]
    public void Parse_StringWithALoneSurrogate_IsRefusedNamingIt(string alert, string error)
    {
        var parse = Parse($$"""{"version":"4","alerts":[{{alert}}]}""");

        parse.Error.ShouldNotBeNull().ShouldStartWith(error, Case.Sensitive);
        parse.Error.Length.ShouldBeGreaterThan(error.Length, "the parser's own message follows");
        parse.Alerts.ShouldBeEmpty();
    }

    [Fact]
    public void Parse_AlertWithoutAnAlertname_IsKeptWithAnEmptyName()
    {
        var alert = Parse("""{"version":"4","alerts":[{"fingerprint":"f","status":"firing","labels":{"service":"x"},"startsAt":"2026-11-22T05:25:21Z"}]}""")
            .Alerts.ShouldHaveSingleItem();

        alert.AlertName.ShouldBe("");
        alert.EndsAt.ShouldBeNull();
    }

    private static AlertWebhookParse Parse(string json) => AlertWebhookParser.Parse(Encoding.UTF8.GetBytes(json));
}
