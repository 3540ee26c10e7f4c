using Microsoft.Extensions.Time.Testing;
using Watchdog.Actions;
using Watchdog.Incidents;
using Watchdog.Incidents.Stats;
using Watchdog.Records;
using Watchdog.Rules;
using Watchdog.Tests.Fakes;
using Watchdog.Tests.Incidents.Reports;

namespace Watchdog.Tests.Incidents.Stats;

public sealed class RollbackStatisticsCalculatorTests
{
    private static readonly DateTimeOffset Now = new(2025, 6, 30, 12, 0, 0, TimeSpan.Zero);

    [Fact]
    public async Task ComputeAsync_HandMadeMonth_GivesTheRunbooksRollbackMetrics()
    {
        await using var store = new InMemoryWatchdogStore();
        await SeedMonthAsync(store);

        var stats = await new RollbackStatisticsCalculator(store, TestClock.At(Now)).ComputeAsync(TimeSpan.FromDays(30), default);

        stats.From.ShouldBe(Now.AddDays(-30));
        stats.To.ShouldBe(Now);
        stats.Incidents.ShouldBe(4);
        stats.OpenIncidents.ShouldBe(1);
        stats.AverageRollbackTime.ShouldBe(TimeSpan.FromMinutes(3));   // 2m and 4m; the 10m scale-out is not a rollback
        stats.MeasuredRollbacks.ShouldBe(2);
        stats.SuccessRate.ShouldBe(0.6);                                // 3 succeeded of 3 + 1 failed + 1 interrupted
        stats.MostCommonCause.ShouldBe(new CauseShare("error-rate-critical", 3, 0.75));
        stats.AutomatedShare.ShouldBe(0.4);                             // 2 automatic of 5 executed
        stats.Runs.ShouldBe(8);
        stats.DryRuns.ShouldBe(1);
        stats.RunsByStatus.ShouldBe(new Dictionary<ActionRunStatus, int>
        {
            [ActionRunStatus.AwaitingApproval] = 1,
            [ActionRunStatus.Running] = 0,
            [ActionRunStatus.Succeeded] = 3,
            [ActionRunStatus.Failed] = 1,
            [ActionRunStatus.Rejected] = 1,
            [ActionRunStatus.Interrupted] = 1,
            [ActionRunStatus.DryRun] = 1,
            [ActionRunStatus.Skipped] = 0,
        });
    }

    [Fact]
    public async Task ComputeAsync_AverageRollbackTime_CountsFromTheBreachToTheActionDone()
    {
        await using var store = new InMemoryWatchdogStore();
        var detected = Now.AddDays(-1);
        await IncidentScenario.WriteAsync(store, async tx =>
        {
            var incident = await Incident(tx, "a", "error-rate-critical", detected, IncidentStatus.Closed);
            await tx.UpdateIncidentAsync(incident with { BreachStartedAt = detected.AddSeconds(-30) }, default);
            await Run(tx, DecisionAction.Rollback, Authority.Automatic, ActionRunStatus.Succeeded, detected, TimeSpan.FromMinutes(2), incidentId: incident.Id);
        });

        var stats = await new RollbackStatisticsCalculator(store, TestClock.At(Now)).ComputeAsync(TimeSpan.FromDays(30), default);

        // 30 s of for window, 5 s from detection to the run's start, 2 min of run.
        stats.AverageRollbackTime.ShouldBe(TimeSpan.FromSeconds(30 + 5 + 120));
        stats.MeasuredRollbacks.ShouldBe(1);
    }

    [Fact]
    public async Task ComputeAsync_RunInTheWindowOfAnIncidentBeforeIt_StillCountsFromThatIncidentsBreach()
    {
        await using var store = new InMemoryWatchdogStore();
        var detected = Now.AddDays(-40);
        await IncidentScenario.WriteAsync(store, async tx =>
        {
            var incident = await Incident(tx, "a", "error-rate-critical", detected, IncidentStatus.Closed);
            await tx.UpdateIncidentAsync(incident with { BreachStartedAt = detected.AddSeconds(-30) }, default);
            await Run(tx, DecisionAction.Rollback, Authority.Automatic, ActionRunStatus.Succeeded, Now.AddDays(-1), TimeSpan.FromMinutes(2), incidentId: incident.Id);
        });

        var stats = await new RollbackStatisticsCalculator(store, TestClock.At(Now)).ComputeAsync(TimeSpan.FromDays(30), default);

        stats.AverageRollbackTime.ShouldBe(Now.AddDays(-1).AddSeconds(5).AddMinutes(2) - detected.AddSeconds(-30));
    }

    [Fact]
    public async Task ComputeAsync_EmptyStore_GivesNullsNotNaN()
    {
        await using var store = new InMemoryWatchdogStore();

        var stats = await new RollbackStatisticsCalculator(store, TestClock.At(Now)).ComputeAsync(TimeSpan.FromDays(30), default);

        (stats.Incidents, stats.OpenIncidents, stats.Runs, stats.DryRuns, stats.MeasuredRollbacks).ShouldBe((0, 0, 0, 0, 0));
        stats.AverageRollbackTime.ShouldBeNull();
        stats.SuccessRate.ShouldBeNull();
        stats.MostCommonCause.ShouldBeNull();
        stats.AutomatedShare.ShouldBeNull();
        stats.RunsByStatus.Values.ShouldAllBe(count => count == 0);
        stats.RunsByStatus.Count.ShouldBe(Enum.GetValues<ActionRunStatus>().Length);
    }

    [Fact]
    public async Task ComputeAsync_WindowLongerThanTheCalendar_CountsEverythingInsteadOfThrowing()
    {
        await using var store = new InMemoryWatchdogStore();
        await SeedMonthAsync(store);

        var stats = await new RollbackStatisticsCalculator(store, TestClock.At(Now)).ComputeAsync(TimeSpan.FromDays(365 * 10_000), default);

        stats.From.ShouldBe(DateTimeOffset.MinValue);
        stats.Incidents.ShouldBe(7);
        stats.MostCommonCause.ShouldBe(new CauseShare("latency-p99-high", 4, 4 / 7.0));
        stats.Runs.ShouldBe(9);
    }

    [Fact]
    public async Task ComputeAsync_ClockMoves_WindowFollowsTheInjectedTimeProvider()
    {
        await using var store = new InMemoryWatchdogStore();
        await SeedMonthAsync(store);
        var clock = TestClock.At(Now);
        var calculator = new RollbackStatisticsCalculator(store, clock);

        clock.Advance(TimeSpan.FromDays(60));
        var stats = await calculator.ComputeAsync(TimeSpan.FromDays(30), default);

        stats.To.ShouldBe(Now.AddDays(60));
        stats.Incidents.ShouldBe(0);
        stats.Runs.ShouldBe(0);
        stats.SuccessRate.ShouldBeNull();
    }

    [Fact]
    public async Task ComputeAsync_RunsRefusedBySafetyRails_AreCountedAsRefusedAndLeftOutOfTheSuccessRate()
    {
        await using var store = new InMemoryWatchdogStore();
        var day = Now.AddDays(-1);
        await IncidentScenario.WriteAsync(store, async tx =>
        {
            await RunWithStepAsync(tx, ActionRunStatus.Succeeded, day, StepStatus.Succeeded, "rolled back deployment/checkout to revision 3");
            await RunWithStepAsync(tx, ActionRunStatus.Succeeded, day, StepStatus.Succeeded, "rolled back deployment/checkout to revision 5");
            await RunWithStepAsync(tx, ActionRunStatus.Failed, day, StepStatus.Failed, "PATCH deployment/checkout: 409 Conflict");
            await RunWithStepAsync(tx, ActionRunStatus.Failed, day, StepStatus.Failed, "refused: revision 4 of deployment/checkout was rolled back from before (known bad)");
            await RunWithStepAsync(tx, ActionRunStatus.Succeeded, day, StepStatus.Succeeded, "skipped rollback (current template already matches revision 4)");
            await SkippedRunAsync(tx, day, "cooldown: the last action on a was at ...");
            await SkippedRunAsync(tx, day, "budget: 3 actions on a in the last hour (at most 3)");
            await SkippedRunAsync(tx, day, "no plan: target a has no steps for 'rollback'");
        });

        var stats = await new RollbackStatisticsCalculator(store, TestClock.At(Now)).ComputeAsync(TimeSpan.FromDays(30), default);

        stats.Refused.ShouldBe(4);                                     // known-bad, already matches, cooldown, budget; not "no plan"
        stats.SuccessRate.ShouldBe(2 / 3.0);                           // 2 succeeded of the 3 runs that executed
        stats.Runs.ShouldBe(8);
        stats.RunsByStatus[ActionRunStatus.Failed].ShouldBe(2);        // a refused run keeps its status
        stats.RunsByStatus[ActionRunStatus.Skipped].ShouldBe(3);
    }

    [Fact]
    public async Task ComputeAsync_PlanWithAStepThatChangedSomething_IsExecutedEvenIfAnotherStepWasASkip()
    {
        await using var store = new InMemoryWatchdogStore();
        await IncidentScenario.WriteAsync(store, async tx =>
        {
            var run = await Run(tx, DecisionAction.ScaleThenRollback, Authority.Automatic, ActionRunStatus.Succeeded, Now.AddDays(-1), TimeSpan.FromMinutes(1));
            await Step(tx, run.Id, 0, StepStatus.Succeeded, "scaled deployment/checkout from 2 to 4 replicas");
            await Step(tx, run.Id, 1, StepStatus.Succeeded, "skipped rollback (current template already matches revision 4)");
            await RunWithStepAsync(tx, ActionRunStatus.Succeeded, Now.AddDays(-1), StepStatus.Succeeded, "skipped rollback (current template already matches revision 4)");
        });

        var stats = await new RollbackStatisticsCalculator(store, TestClock.At(Now)).ComputeAsync(TimeSpan.FromDays(30), default);

        stats.Refused.ShouldBe(1);
        stats.SuccessRate.ShouldBe(1);
    }

    [Fact]
    public async Task ToDocument_RefusedRuns_AreInTheJsonAsRefused()
    {
        await using var store = new InMemoryWatchdogStore();
        await IncidentScenario.WriteAsync(store, tx => SkippedRunAsync(tx, Now.AddDays(-1), "cooldown: the last action on a was at ..."));
        var stats = await new RollbackStatisticsCalculator(store, TestClock.At(Now)).ComputeAsync(TimeSpan.FromDays(30), default);

        using var json = System.Text.Json.JsonDocument.Parse(RollbackStatisticsJson.Serialize(stats, TimeSpan.FromDays(30)));

        json.RootElement.GetProperty("refused").GetInt32().ShouldBe(1);
        json.RootElement.GetProperty("successRate").ValueKind.ShouldBe(System.Text.Json.JsonValueKind.Null);
    }

    private static async Task RunWithStepAsync(IStoreTransaction tx, ActionRunStatus status, DateTimeOffset at, StepStatus stepStatus, string summary)
    {
        var run = await Run(tx, DecisionAction.Rollback, Authority.Automatic, status, at, TimeSpan.FromMinutes(1));
        await Step(tx, run.Id, 0, stepStatus, summary);
    }

    // As ActionExecutor records a finished step: the summary in Result's JSON, and in Error when it failed.
    private static Task Step(IStoreTransaction tx, long runId, int index, StepStatus status, string summary) =>
        tx.InsertStepAsync(
            new ActionStep(runId, index, "deployment-undo", new Dictionary<string, string>())
            {
                Status = status,
                Result = System.Text.Json.JsonSerializer.Serialize(new { summary }),
                Error = status == StepStatus.Failed ? summary : null,
            },
            default);

    private static async Task SkippedRunAsync(IStoreTransaction tx, DateTimeOffset at, string reason)
    {
        var run = await Run(tx, DecisionAction.Rollback, Authority.Automatic, ActionRunStatus.Skipped, at, null);
        await tx.UpdateRunAsync(run with { Reason = reason, CompletedAt = at }, default);
    }

    /// <summary>
    /// In the last 30 days: 3 incidents from error-rate-critical (one open), 1 from latency-p99-high, and 8 runs.
    /// Before the window: 3 more latency-p99-high incidents and a failed automatic rollback, which would change every
    /// figure if the window were ignored.
    /// </summary>
    private static async Task SeedMonthAsync(InMemoryWatchdogStore store)
    {
        var day = Now.AddDays(-10);
        await IncidentScenario.WriteAsync(store, async tx =>
        {
            await Incident(tx, "a", "error-rate-critical", day, IncidentStatus.Closed);
            await Incident(tx, "b", "error-rate-critical", day.AddDays(1), IncidentStatus.Closed);
            await Incident(tx, "c", "error-rate-critical", day.AddDays(2), IncidentStatus.Open);
            await Incident(tx, "d", "latency-p99-high", day.AddDays(3), IncidentStatus.Closed);
            for (var i = 0; i < 3; i++)
            {
                await Incident(tx, $"old-{i}", "latency-p99-high", Now.AddDays(-40 - i), IncidentStatus.Closed);
            }

            await Run(tx, DecisionAction.Rollback, Authority.Automatic, ActionRunStatus.Succeeded, day, TimeSpan.FromMinutes(2));
            await Run(tx, DecisionAction.Rollback, Authority.OnCall, ActionRunStatus.Succeeded, day, TimeSpan.FromMinutes(4));
            await Run(tx, DecisionAction.ScaleThenRollback, Authority.Automatic, ActionRunStatus.Failed, day, TimeSpan.FromMinutes(1));
            await Run(tx, DecisionAction.Scale, Authority.OnCall, ActionRunStatus.Succeeded, day, TimeSpan.FromMinutes(10));
            await Run(tx, DecisionAction.StopWrites, Authority.TeamLead, ActionRunStatus.Interrupted, day, null);
            await Run(tx, DecisionAction.Rollback, Authority.Automatic, ActionRunStatus.DryRun, day, null, dryRun: true);
            await Run(tx, DecisionAction.Rollback, Authority.OnCall, ActionRunStatus.Rejected, day, null);
            await Run(tx, DecisionAction.Rollback, Authority.OnCall, ActionRunStatus.AwaitingApproval, day, null);
            await Run(tx, DecisionAction.Rollback, Authority.Automatic, ActionRunStatus.Failed, Now.AddDays(-40), TimeSpan.FromMinutes(1));
        });
    }

    private static Task<Incident> Incident(IStoreTransaction tx, string target, string rule, DateTimeOffset at, IncidentStatus status) =>
        tx.InsertIncidentAsync(
            new Incident
            {
                Target = target,
                Policy = "p",
                Status = status,
                DetectedAt = at,
                TriggerRule = rule,
                TriggerAction = DecisionAction.Rollback,
                TriggerAuthority = Authority.Automatic,
                TriggerSummary = "s",
            },
            default);

    private static Task<ActionRun> Run(
        IStoreTransaction tx, DecisionAction action, Authority authority, ActionRunStatus status, DateTimeOffset at, TimeSpan? took, bool dryRun = false, long incidentId = 1) =>
        tx.InsertRunAsync(
            new ActionRun
            {
                IncidentId = incidentId,
                Target = "a",
                Action = action,
                Authority = authority,
                Rule = "r",
                Status = status,
                DryRun = dryRun,
                CreatedAt = at,
                StartedAt = took is null ? null : at.AddSeconds(5),
                CompletedAt = took is { } t ? at.AddSeconds(5) + t : null,
            },
            default);
}
