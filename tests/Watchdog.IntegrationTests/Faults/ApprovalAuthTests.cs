using System.Text.Json;

namespace Watchdog.IntegrationTests.Faults;

/// <summary>
/// Who may approve, against a real daemon: no token or a wrong one is a 401, a role below the required authority a
/// 403 that names both, and none of it moves the run; the right role runs the plan, a repeat is a 200 and the other
/// decision afterwards a 409. Tokens, right or wrong, never reach the log.
/// </summary>
[Trait("Suite", "Faults")]
public sealed class ApprovalAuthTests(ApprovalsDaemon daemon) : IClassFixture<ApprovalsDaemon>
{
    private DaemonApi Api => daemon.Api;

    [Fact]
    public async Task ApprovalApiWithoutATokenOrWithAWrongOne_Answers401_AndTheRunStillWaits()
    {
        var id = await daemon.ApprovalIdAsync("held");
        const string wrong = "not-a-known-token-91c4";

        (await Api.GetAsync("api/v1/approvals")).Status.ShouldBe(401);
        (await Api.GetAsync("api/v1/approvals", wrong)).Status.ShouldBe(401);
        (await Api.PostAsync($"api/v1/approvals/{id}/approve", "")).Status.ShouldBe(401);
        var (status, body) = await Api.PostAsync($"api/v1/approvals/{id}/approve", "", wrong);
        status.ShouldBe(401);
        body.ShouldContain("a valid bearer token is required");
        (await Api.PostAsync($"api/v1/approvals/{id}/reject", "", wrong)).Status.ShouldBe(401);

        await AssertStillWaitingAsync("held");
        daemon.Daemon.Log.ShouldNotContain(wrong);
        daemon.Daemon.Log.ShouldNotContain(ApprovalsDaemon.OnCallToken);
        daemon.Daemon.Log.ShouldNotContain(ApprovalsDaemon.TeamLeadToken);
    }

    [Fact]
    public async Task ApproveOrRejectWithARoleBelowTheRequiredAuthority_Answers403NamingBoth_AndTheRunStillWaits()
    {
        var id = await daemon.ApprovalIdAsync("held");

        foreach (var verb in new[] { "approve", "reject" })
        {
            var (status, body) = await Api.PostAsync($"api/v1/approvals/{id}/{verb}", """{"comment":"looks bad"}""", ApprovalsDaemon.OnCallToken);
            status.ShouldBe(403, body);
            using var error = JsonDocument.Parse(body);
            error.RootElement.GetProperty("error").GetString().ShouldBe($"approval {id} needs team-lead or above; alice has on-call");
            error.RootElement.GetProperty("required").GetString().ShouldBe("team-lead");
        }

        await AssertStillWaitingAsync("held");
    }

    [Fact]
    public async Task ApproveWithEnoughAuthority_RunsThePlan_ARepeatIs200_AndTheOtherDecisionAfterwardsIs409()
    {
        var id = await daemon.ApprovalIdAsync("approved");

        var (status, body) = await Api.PostAsync($"api/v1/approvals/{id}/approve", """{"comment":"go"}""", ApprovalsDaemon.TeamLeadToken);
        status.ShouldBe(200, body);
        var run = await Api.RunOfAsync("approved", "succeeded", "failed", "interrupted");
        run.GetProperty("status").GetString().ShouldBe("succeeded", run.ToString());
        daemon.Receiver.RequestsTo("step-approved").Count.ShouldBe(1);

        (await Api.PostAsync($"api/v1/approvals/{id}/approve", "", ApprovalsDaemon.TeamLeadToken)).Status.ShouldBe(200, "a repeat is idempotent");
        var (rejected, conflict) = await Api.PostAsync($"api/v1/approvals/{id}/reject", "", ApprovalsDaemon.TeamLeadToken);
        rejected.ShouldBe(409, conflict);
        conflict.ShouldContain($"approval {id} was already approved by lena");
        daemon.Receiver.RequestsTo("step-approved").Count.ShouldBe(1, "the plan ran once");
    }

    private async Task AssertStillWaitingAsync(string target)
    {
        var report = (await Api.ReportOfAsync(target))!.Value;
        var run = DaemonApi.ExecutedRuns(report).First();
        run.GetProperty("status").GetString().ShouldBe("awaiting-approval", run.ToString());
        report.GetProperty("approvals")[0].GetProperty("status").GetString().ShouldBe("pending");
        daemon.Receiver.RequestsTo($"step-{target}").ShouldBeEmpty();
    }
}
