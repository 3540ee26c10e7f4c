using Watchdog.IntegrationTests.Faults;
using Watchdog.IntegrationTests.Servers;

namespace Watchdog.IntegrationTests.Hosting;

/// <summary>
/// The on-call verbs as a person runs them: a separate <c>watchdog</c> process against a running daemon process (the
/// unit suite drives the same verbs in-process). The daemon's two targets wait for a team lead's approval.
/// </summary>
public sealed class OnCallCliProcessTests(ApprovalsDaemon fixture) : IClassFixture<ApprovalsDaemon>
{
    private static readonly TimeSpan Bound = TimeSpan.FromSeconds(60);

    private Task<DaemonExit> RunAsync(string token, params string[] arguments) =>
        DaemonProcess.RunToExitAsync(
            [.. arguments, "--server", fixture.Daemon.Url.AbsoluteUri],
            Path.GetTempPath(),
            Bound,
            new Dictionary<string, string> { ["WATCHDOG_TOKEN"] = token });

    [Fact]
    public async Task StatusApprovalsAndApprove_WorkAgainstARunningDaemon_AndARefusalIsSaidInWords()
    {
        var approvalId = await fixture.ApprovalIdAsync("approved");
        var heldId = await fixture.ApprovalIdAsync("held");

        var status = await RunAsync(ApprovalsDaemon.OnCallToken, "status");
        var approvals = await RunAsync(ApprovalsDaemon.OnCallToken, "approvals");
        var refused = await RunAsync(ApprovalsDaemon.OnCallToken, "approve", heldId.ToString(System.Globalization.CultureInfo.InvariantCulture));
        var approved = await RunAsync(ApprovalsDaemon.TeamLeadToken, "approve", approvalId.ToString(System.Globalization.CultureInfo.InvariantCulture), "--comment", "the release is bad");

        status.ExitCode.ShouldBe(0, status.Errors);
        status.Output.ShouldContain("held");
        status.Output.ShouldContain("approved");
        status.Output.ShouldContain("rollback");
        approvals.ExitCode.ShouldBe(0, approvals.Errors);
        approvals.Output.ShouldContain(approvalId.ToString(System.Globalization.CultureInfo.InvariantCulture));
        refused.ExitCode.ShouldBe(1);
        refused.Errors.ShouldContain("403 forbidden");
        refused.Errors.ShouldNotContain(ApprovalsDaemon.OnCallToken);
        approved.ExitCode.ShouldBe(0, approved.Errors);
        await fixture.Api.UntilAsync(() => Task.FromResult(fixture.Receiver.RequestsTo("step-approved").Count > 0), "the approved run's step ran");
        fixture.Receiver.RequestsTo("step-held").ShouldBeEmpty();
    }

    [Fact]
    public async Task AServerThatDoesNotAnswer_ExitsTwo()
    {
        var port = Watchdog.TestSupport.LoopbackPorts.Free();
        var exit = await DaemonProcess.RunToExitAsync(["status", "--server", $"http://127.0.0.1:{port}/"], Path.GetTempPath(), Bound, new Dictionary<string, string> { ["WATCHDOG_TOKEN"] = "x" });

        exit.ExitCode.ShouldBe(2, exit.Output + exit.Errors);
    }
}
