using Watchdog.Incidents.Notifications;
using Watchdog.Records;
using Watchdog.Rules;
using Watchdog.Tests.Actions;
using Watchdog.Tests.Fakes;

namespace Watchdog.Tests.Incidents.Notifications;

/// <summary>What ROLLBACK IN PROGRESS and ROLLBACK COMPLETE say, filled from the incident and the target's earlier runs.</summary>
public sealed class RunNoticesTests
{
    private readonly ExecutorScenario _s = new();

    private IReadOnlyList<KeyValuePair<string, string>> Fields(string title) =>
        _s.Outbox.Queued.Single(q => q.Message.Title == title).Message.Fields;

    private async Task<ActionRun> RunAsync(Incident incident, ActionRunStatus status, DecisionAction action, TimeSpan? took, string target = "checkout")
    {
        await using var tx = await _s.Store.BeginAsync(CancellationToken.None);
        var started = ExecutorScenario.T0.AddMinutes(-60);
        var run = await tx.InsertRunAsync(
            new ActionRun
            {
                IncidentId = incident.Id, Target = target, Action = action, Authority = Authority.Automatic, Rule = "error-rate-critical",
                Status = status, CreatedAt = started, StartedAt = took is null ? null : started, CompletedAt = took is null ? null : started + took,
            },
            CancellationToken.None);
        await tx.CommitAsync(CancellationToken.None);
        return run;
    }

    private async Task StartAsync(Incident incident, ActionRun run)
    {
        await using var tx = await _s.Store.BeginAsync(CancellationToken.None);
        await new RunNotices(_s.Outbox, _s.Store).RunStartedAsync(tx, incident, run, ExecutorScenario.T0, preview: null, CancellationToken.None);
        await tx.CommitAsync(CancellationToken.None);
    }

    [Fact]
    public async Task InProgress_GivesTheMedianOfThisTargetsEarlierSucceededRunsOfThePlan_AsTheEta()
    {
        var incident = await _s.OpenIncidentAsync();
        await RunAsync(incident, ActionRunStatus.Succeeded, DecisionAction.Rollback, TimeSpan.FromSeconds(40));
        await RunAsync(incident, ActionRunStatus.Succeeded, DecisionAction.Rollback, TimeSpan.FromSeconds(50));
        await RunAsync(incident, ActionRunStatus.Succeeded, DecisionAction.Rollback, TimeSpan.FromMinutes(30)); // one slow run does not move it
        await RunAsync(incident, ActionRunStatus.Failed, DecisionAction.Rollback, TimeSpan.FromSeconds(1)); // stopped early: not the plan's length
        await RunAsync(incident, ActionRunStatus.Succeeded, DecisionAction.Scale, TimeSpan.FromSeconds(2)); // another plan
        await RunAsync(incident, ActionRunStatus.Succeeded, DecisionAction.Rollback, TimeSpan.FromSeconds(3), target: "payments");
        var run = await RunAsync(incident, ActionRunStatus.Running, DecisionAction.Rollback, took: null);

        await StartAsync(incident, run);

        Fields("ROLLBACK IN PROGRESS").Single(f => f.Key == "ETA").Value.ShouldBe("50s");
    }

    [Fact]
    public async Task InProgress_OfAFirstRun_LeavesOutTheEtaAndTheVersionsNoStepHasNamedYet()
    {
        var incident = await _s.OpenIncidentAsync();
        var run = await RunAsync(incident, ActionRunStatus.Running, DecisionAction.Rollback, took: null);

        await StartAsync(incident, run);

        Fields("ROLLBACK IN PROGRESS").Select(f => f.Key).ShouldBe(["Environment", "Reason", "Started"]);
    }

    [Fact]
    public async Task InProgress_OfALaterRun_NamesWhatTheEarlierRunLeftRunning_AsThePreviousVersion()
    {
        var incident = await _s.OpenIncidentAsync() with { BeforeState = "checkout:v3-bad (revision 3)", AfterState = "checkout:v2-bad (revision 4, was 2)" };
        var run = await RunAsync(incident, ActionRunStatus.Running, DecisionAction.Rollback, took: null);

        await StartAsync(incident, run);

        Fields("ROLLBACK IN PROGRESS").Single(f => f.Key == "Previous Version").Value.ShouldBe("checkout:v2-bad (revision 4, was 2)");
        Fields("ROLLBACK IN PROGRESS").ShouldNotContain(f => f.Key == "Rolling Back To");
    }

    [Fact]
    public void Complete_NamesTheVersionTheRunLeft_WithTheRevisionAfterTheUndoRenumberedIt()
    {
        var incident = new Incident
        {
            Target = "checkout", Policy = "runbook-matrix", Environment = "production", DetectedAt = ExecutorScenario.T0,
            TriggerRule = "error-rate-critical", TriggerAction = DecisionAction.Rollback, TriggerAuthority = Authority.Automatic, TriggerSummary = "error_rate > 0.1",
            BeforeState = "checkout:v2-bad (revision 3)", AfterState = "checkout:v1 (revision 4, was 1)",
        };

        NotificationText.Render(RunMessages.Complete(incident)).ShouldContain("\nCurrent Version: checkout:v1 (revision 4, was 1)\n");
        RunMessages.Complete(incident with { AfterState = null }).Fields.ShouldNotContain(f => f.Key == "Current Version");
    }
}
