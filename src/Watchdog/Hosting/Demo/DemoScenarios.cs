using Watchdog.Sandbox.Demo;

namespace Watchdog.Hosting.Demo;

/// <summary>The runbook's scenarios, played one after another on the demo's world, each ending when Watchdog has done its part.</summary>
internal sealed class DemoScenarios(DemoWorld world, DemoTimeline timeline, DemoApprover approver)
{
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
            && await ApprovedReleaseAsync(timeout, cancellationToken);
    }

    // 0.3 % errors: nothing holds, nothing is done. Watched for longer than a rule must hold, so an action would show.
    private async Task<bool> GoodReleaseAsync(CancellationToken cancellationToken)
    {
        timeline.Say("demo", $"scenario \"good release\": kubectl set image deployment/checkout checkout={SampleApp.GoodImage} (0.3% errors)");
        timeline.ForgetIncident();
        await world.ReleaseAsync(SampleApp.GoodImage, cancellationToken);
        var last = await timeline.WatchForAsync(TimeSpan.FromSeconds(6), cancellationToken);
        var quiet = last.IncidentId is null && last.Image == SampleApp.GoodImage && last.Decision == "none";
        timeline.Say("demo", quiet
            ? $"good release left alone: no incident, {SampleApp.GoodImage} keeps running"
            : $"good release NOT left alone: image {last.Image}, decision {last.Decision}, incident {last.IncidentId}");
        return quiet;
    }

    // 12 % errors: above 10 %, the one case the system rolls back on its own.
    private async Task<bool> BadReleaseAsync(TimeSpan timeout, CancellationToken cancellationToken)
    {
        timeline.Say("demo", $"scenario \"bad release\": kubectl set image deployment/checkout checkout={SampleApp.BadImage} (12% errors, with {DemoWorld.Flag} on)");
        timeline.ForgetIncident();
        await world.ReleaseAsync(SampleApp.BadImage, cancellationToken);
        var closed = await timeline.FollowAsync(m => m.IncidentStatus == "closed", timeout, cancellationToken);
        var rolledBack = world.App.Image == SampleApp.GoodImage && world.Flags.Get(DemoWorld.Flag) is { Enabled: false, RolloutPercentage: 0 };
        timeline.Say("demo", closed && rolledBack
            ? $"bad release: {DemoWorld.Flag} reduced to 0 and off, then rolled back to {SampleApp.GoodImage}, and the incident closed"
            : $"bad release NOT handled as expected: image {world.App.Image}, {DemoWorld.Flag} {world.Flags.Get(DemoWorld.Flag)}, incident {(closed ? "closed" : "not closed")}");
        return closed && rolledBack;
    }

    // 7 % errors: above 5 %, a rollback the on-call engineer must approve; the demo approves it through the API.
    private async Task<bool> ApprovedReleaseAsync(TimeSpan timeout, CancellationToken cancellationToken)
    {
        timeline.Say("demo", $"scenario \"degraded release\": kubectl set image deployment/checkout checkout={SampleApp.DegradedImage} (7% errors)");
        timeline.ForgetIncident();
        await world.ReleaseAsync(SampleApp.DegradedImage, cancellationToken);
        long? pending = null;
        if (!await timeline.FollowAsync(async _ => (pending = await approver.PendingAsync(cancellationToken)) is not null, timeout, cancellationToken))
        {
            timeline.Say("demo", "degraded release NOT handled as expected: no approval was requested");
            return false;
        }

        var (approved, answer) = await approver.ApproveAsync(pending!.Value, "approved by the demo", cancellationToken);
        timeline.Say("on-call", $"{approver.Name} approves request {pending} through POST /api/v1/approvals/{pending}/approve: {answer}");
        var closed = approved && await timeline.FollowAsync(m => m.IncidentStatus == "closed", timeout, cancellationToken);
        var rolledBack = world.App.Image == SampleApp.GoodImage;
        timeline.Say("demo", closed && rolledBack
            ? $"degraded release: approved by {approver.Name}, rolled back to {SampleApp.GoodImage}, and the incident closed"
            : $"degraded release NOT handled as expected: image {world.App.Image}, incident {(closed ? "closed" : "not closed")}");
        return closed && rolledBack;
    }
}
