using Watchdog.Records;
using Watchdog.Sandbox.Demo;

namespace Watchdog.Hosting.Demo;

/// <summary>The runbook's scenarios, played one after another on the demo's world, each ending when Watchdog has done its part.</summary>
/// <param name="approver">The on-call engineer, asked first.</param>
/// <param name="senior">The senior engineer, paged when an approval request escalates.</param>
internal sealed class DemoScenarios(DemoWorld world, DemoTimeline timeline, DemoApprover approver, DemoApprover senior)
{
    private const string IssuesDetected = "ROLLBACK ISSUES DETECTED";
    private const string ApprovalEscalated = "APPROVAL ESCALATED";
    private const string RollbackComplete = "ROLLBACK COMPLETE";

    public async Task<bool> PlayAsync(TimeSpan timeout, CancellationToken cancellationToken)
    {
        // The first evaluation: Watchdog sees the stable release as healthy.
        if (!await timeline.FollowAsync(m => m.ErrorRate is not null && m.Decision is not null, timeout, cancellationToken))
        {
            timeline.Say("demo", "Watchdog never evaluated checkout");
            return false;
        }

        return await GoodReleaseAsync(cancellationToken)
            && await BadReleaseAsync(timeout, cancellationToken)
            && await ApprovedReleaseAsync(timeout, cancellationToken)
            && await MemoryLeakAsync(timeout, cancellationToken)
            && await BadRollbackTargetAsync(timeout, cancellationToken);
    }

    // 0.3 % errors: nothing holds, nothing is done. Watched for longer than a rule must hold, so an action would show.
    private async Task<bool> GoodReleaseAsync(CancellationToken cancellationToken)
    {
        await BeginAsync("good release", SampleApp.GoodImage, "0.3% errors", cancellationToken);
        var last = await timeline.WatchForAsync(TimeSpan.FromSeconds(6), cancellationToken);
        return Verdict(
            last.IncidentId is null && last.Image == SampleApp.GoodImage && last.Decision == "none",
            $"good release left alone: no incident, {SampleApp.GoodImage} keeps running",
            $"good release NOT left alone: image {last.Image}, decision {last.Decision}, incident {last.IncidentId}");
    }

    // 12 % errors: above 10 %, the one case the system rolls back on its own.
    private async Task<bool> BadReleaseAsync(TimeSpan timeout, CancellationToken cancellationToken)
    {
        await BeginAsync("bad release", SampleApp.BadImage, $"12% errors, with {DemoWorld.Flag} on", cancellationToken);
        var closed = await timeline.FollowAsync(m => m.IncidentStatus == "closed", timeout, cancellationToken);
        var rolledBack = world.App.Image == SampleApp.GoodImage && world.Flags.Get(DemoWorld.Flag) is { Enabled: false, RolloutPercentage: 0 };
        return Verdict(
            closed && rolledBack,
            $"bad release: {DemoWorld.Flag} reduced to 0 and off, then rolled back to {SampleApp.GoodImage}, and the incident closed",
            $"bad release NOT handled as expected: image {world.App.Image}, {DemoWorld.Flag} {world.Flags.Get(DemoWorld.Flag)}, incident {(closed ? "closed" : "not closed")}");
    }

    // 7 % errors: above 5 %, a rollback the on-call engineer must approve; the demo approves it through the API.
    private async Task<bool> ApprovedReleaseAsync(TimeSpan timeout, CancellationToken cancellationToken)
    {
        await BeginAsync("degraded release", SampleApp.DegradedImage, "7% errors", cancellationToken);
        if (await PendingApprovalAsync(timeout, cancellationToken) is not { } pending)
        {
            return Verdict(false, "", "degraded release NOT handled as expected: no approval was requested");
        }

        var closed = await ApproveAndFollowAsync(approver, "on-call", "", pending, "approved by the demo", timeout, cancellationToken);
        return Verdict(
            closed && world.App.Image == SampleApp.GoodImage,
            $"degraded release: approved by {approver.Name}, rolled back to {SampleApp.GoodImage}, and the incident closed",
            $"degraded release NOT handled as expected: image {world.App.Image}, incident {(closed ? "closed" : "not closed")}");
    }

    // Memory climbing past 95 %: the runbook's "immediate rollback", on the on-call engineer's authority. Nobody on
    // call answers, so the request escalates to the next level of the runbook's chain; the senior engineer paged approves.
    private async Task<bool> MemoryLeakAsync(TimeSpan timeout, CancellationToken cancellationToken)
    {
        await BeginAsync("memory leak", SampleApp.LeakingImage, "0.4% errors, memory growing 6 points a second", cancellationToken);
        if (await PendingApprovalAsync(timeout, cancellationToken) is not { } pending)
        {
            return Verdict(false, "", "memory leak NOT handled as expected: no approval was requested");
        }

        timeline.Say("on-call", $"{approver.Name} does not answer request {pending}");
        if (!await timeline.FollowAsync(m => m.Events.Contains(IncidentEventKind.ApprovalEscalated) && Paged(m, ApprovalEscalated) > 0, timeout, cancellationToken))
        {
            return Verdict(false, "", $"memory leak NOT handled as expected: request {pending} was not escalated");
        }

        var closed = await ApproveAndFollowAsync(senior, "senior", ", paged by the escalation,", pending, "approved by the demo after the escalation", timeout, cancellationToken);
        return Verdict(
            closed && world.App.Image == SampleApp.GoodImage && world.App.MemoryUtilization < 0.95,
            $"memory leak: unanswered by {approver.Name}, escalated, approved by {senior.Name}, rolled back to {SampleApp.GoodImage}, and the incident closed",
            $"memory leak NOT handled as expected: image {world.App.Image}, incident {(closed ? "closed" : "not closed")}");
    }

    // Two bad releases in a row: the undo lands on the first, still bad. Watchdog says so (the runbook's ROLLBACK ISSUES
    // DETECTED, escalated while it stays so) and does not run its plan again in the incident; the on-call engineer
    // releases the last good image by hand, and Watchdog closes the incident once that has been healthy (its ROLLBACK
    // COMPLETE then names no version: Watchdog's undo is not what runs).
    private async Task<bool> BadRollbackTargetAsync(TimeSpan timeout, CancellationToken cancellationToken)
    {
        await BeginAsync("bad rollback target", SampleApp.BadTargetImage, "11% errors", cancellationToken);
        timeline.Say("demo", $"and at once a hotfix on top: kubectl set image deployment/checkout checkout={SampleApp.BadHotfixImage} (13% errors)");
        await world.ReleaseAsync(SampleApp.BadHotfixImage, cancellationToken);

        // Followed until the not-recovered report has escalated once: the rule has held all that while, so a plan
        // run again would have shown by then.
        var reported = await timeline.FollowAsync(
            m => m.Events.Count(e => e == IncidentEventKind.NotRecovered) >= 2 && Paged(m, IssuesDetected) >= 2, timeout, cancellationToken);
        if (!(reported && timeline.Last is { RunsStarted: 1 } && world.App.Image == SampleApp.BadTargetImage))
        {
            return Verdict(false, "", $"bad rollback target NOT handled as expected: image {world.App.Image}, runs started {timeline.Last?.RunsStarted}, {(reported ? "issues reported" : "no issues reported")}");
        }

        timeline.Say("on-call", $"{approver.Name} releases the last good image by hand: kubectl set image deployment/checkout checkout={SampleApp.GoodImage}");
        await world.ReleaseAsync(SampleApp.GoodImage, cancellationToken);
        var closed = await timeline.FollowAsync(m => m.IncidentStatus == "closed" && Paged(m, RollbackComplete) > 0, timeout, cancellationToken);
        return Verdict(
            closed && timeline.Last?.CloseReason == "recovered" && world.App.Image == SampleApp.GoodImage,
            $"bad rollback target: the undo landed on {SampleApp.BadTargetImage}, still bad; Watchdog said {IssuesDetected}, escalated it and ran its plan once only; the on-call engineer's release of {SampleApp.GoodImage} fixed it, and the incident closed",
            $"bad rollback target NOT handled as expected after the fix by hand: image {world.App.Image}, incident {(closed ? "closed" : "not closed")}");
    }

    // A scenario begins as a release does (kubectl set image), and follows the next incident the daemon opens.
    private async Task BeginAsync(string scenario, string image, string shows, CancellationToken cancellationToken)
    {
        timeline.Say("demo", $"scenario \"{scenario}\": kubectl set image deployment/checkout checkout={image} ({shows})");
        timeline.ForgetIncident();
        await world.ReleaseAsync(image, cancellationToken);
    }

    // A scenario's last line: what went as the runbook says, or what did not.
    private bool Verdict(bool passed, string asExpected, string otherwise)
    {
        timeline.Say("demo", passed ? asExpected : otherwise);
        return passed;
    }

    // The oldest pending approval request, once the daemon has asked for one and the timeline has printed the request
    // (so the answer is never told before the question); null if it never did.
    private async Task<long?> PendingApprovalAsync(TimeSpan timeout, CancellationToken cancellationToken)
    {
        long? pending = null;
        return await timeline.FollowAsync(
            async m => m.Events.Contains(IncidentEventKind.ApprovalRequested) && (pending = await approver.PendingAsync(cancellationToken)) is not null,
            timeout,
            cancellationToken) ? pending : null;
    }

    // Approves as that engineer through the API, then follows the incident until it closes; false if refused or never closed.
    private async Task<bool> ApproveAndFollowAsync(DemoApprover who, string role, string why, long id, string comment, TimeSpan timeout, CancellationToken cancellationToken)
    {
        var (approved, answer) = await who.ApproveAsync(id, comment, cancellationToken);
        timeline.Say(role, $"{who.Name}{why} approves request {id} through POST /api/v1/approvals/{id}/approve: {answer}");
        return approved && await timeline.FollowAsync(m => m.IncidentStatus == "closed", timeout, cancellationToken);
    }

    // How many messages of this title the pager has had about the incident followed.
    private static int Paged(DemoMoment moment, string title) =>
        moment.IncidentId is { } id ? moment.Paged.Count(m => m.IncidentId == id && m.Title == title) : 0;
}
