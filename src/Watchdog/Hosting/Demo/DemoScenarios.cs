using Watchdog.Sandbox.Demo;

namespace Watchdog.Hosting.Demo;

/// <summary>The runbook's scenarios, played one after another on the demo's world, each ending when Watchdog has done its part.</summary>
internal sealed class DemoScenarios(DemoWorld world, DemoTimeline timeline)
{
    public async Task<bool> PlayAsync(TimeSpan timeout, CancellationToken cancellationToken)
    {
        // The first evaluation: Watchdog sees the stable release as healthy.
        if (!await timeline.FollowAsync(m => m.ErrorRate is not null && m.Decision is not null, timeout, cancellationToken))
        {
            timeline.Say("demo", "Watchdog never evaluated checkout");
            return false;
        }

        return await BadReleaseAsync(timeout, cancellationToken);
    }

    // 12 % errors: above 10 %, the one case the system rolls back on its own.
    private async Task<bool> BadReleaseAsync(TimeSpan timeout, CancellationToken cancellationToken)
    {
        timeline.Say("demo", $"scenario \"bad release\": kubectl set image deployment/checkout checkout={SampleApp.BadImage} (12% errors)");
        timeline.ForgetIncident();
        await world.ReleaseAsync(SampleApp.BadImage, cancellationToken);
        var closed = await timeline.FollowAsync(m => m.IncidentStatus == "closed", timeout, cancellationToken);
        var rolledBack = world.App.Image == SampleApp.StableImage;
        timeline.Say("demo", closed && rolledBack
            ? $"bad release rolled back to {SampleApp.StableImage} and the incident closed"
            : $"bad release NOT handled as expected: image {world.App.Image}, incident {(closed ? "closed" : "not closed")}");
        return closed && rolledBack;
    }
}
