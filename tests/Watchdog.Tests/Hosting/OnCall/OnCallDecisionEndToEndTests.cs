using Watchdog.Hosting;
using Watchdog.Hosting.OnCall;

namespace Watchdog.Tests.Hosting.OnCall;

/// <summary><c>approve</c> and <c>reject</c> against the real daemon: each of the API's answers as words and an exit code.</summary>
public sealed class OnCallDecisionEndToEndTests(OnCallDaemon daemon) : IClassFixture<OnCallDaemon>, IDisposable
{
    private readonly StringWriter _output = new();
    private readonly StringWriter _error = new();
    private readonly Dictionary<string, string?> _environment = [];

    public void Dispose()
    {
        _output.Dispose();
        _error.Dispose();
    }

    [Fact]
    public async Task ApproveAndReject_AnswerAsTheApiDoes_403BelowTheRole_404Unknown_200ThenA409TheOtherWay()
    {
        var id = (await OnCallCliEndToEndTests.ApprovalAsync(daemon)).GetProperty("id").GetInt64().ToString(System.Globalization.CultureInfo.InvariantCulture);

        _environment["WATCHDOG_TOKEN"] = OnCallDaemon.OnCallToken;
        (await Invoke("approve", id, "--server", daemon.Url)).ShouldBe(OnCallCommands.Refused);
        _error.ToString().Trim().ShouldBe($"watchdog: 403 forbidden: approval {id} needs team-lead or above; alice has on-call");

        _environment["WATCHDOG_TOKEN"] = OnCallDaemon.LeadToken;
        Clear();
        (await Invoke("approve", "987654", "--server", daemon.Url)).ShouldBe(OnCallCommands.Refused);
        _error.ToString().Trim().ShouldBe("watchdog: 404 not found: no approval 987654");

        Clear();
        (await Invoke("approve", id, "--comment", "latency is the release", "--server", daemon.Url)).ShouldBe(0, _error.ToString());
        _output.ToString().ShouldBe($"approval {id} (checkout, rollback) approved by lena: latency is the release\n");

        Clear();
        (await Invoke("reject", id, "--server", daemon.Url)).ShouldBe(OnCallCommands.Refused);
        _error.ToString().Trim().ShouldBe($"watchdog: 409 conflict: approval {id} was already approved by lena");

        Clear();
        (await Invoke("approvals", "--all", "--server", daemon.Url)).ShouldBe(0, _error.ToString());
        _output.ToString().ShouldMatch($@"(?m)^{id}\s+checkout\s+rollback\s+team-lead\s+approved\s+.*\s+lena$");
        (_output.ToString() + _error).ShouldNotContain(OnCallDaemon.LeadToken);
    }

    private Task<int> Invoke(params string[] args) => new WatchdogCli(environment: name => _environment.GetValueOrDefault(name)).InvokeAsync(args, _output, _error);

    private void Clear()
    {
        _output.GetStringBuilder().Clear();
        _error.GetStringBuilder().Clear();
    }
}
