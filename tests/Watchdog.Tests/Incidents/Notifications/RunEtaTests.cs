using Watchdog.Incidents.Notifications;
using Watchdog.Records;
using Watchdog.Rules;

namespace Watchdog.Tests.Incidents.Notifications;

public sealed class RunEtaTests
{
    private static readonly DateTimeOffset T0 = new(2026, 3, 1, 12, 0, 0, TimeSpan.Zero);

    private static ActionRun Run(long id, double? seconds, ActionRunStatus status = ActionRunStatus.Succeeded) => new()
    {
        Id = id, IncidentId = 1, Target = "checkout", Action = DecisionAction.Rollback, Authority = Authority.Automatic, Rule = "r",
        Status = status, CreatedAt = T0, StartedAt = T0, CompletedAt = seconds is { } s ? T0.AddSeconds(s) : null,
    };

    [Fact]
    public void Of_AnEvenCount_IsTheMeanOfTheTwoMiddleDurations() =>
        RunEta.Of(Run(9, null, ActionRunStatus.Running), [Run(1, 10), Run(2, 40), Run(3, 20), Run(4, 600)]).ShouldBe(TimeSpan.FromSeconds(30));

    [Fact]
    public void Of_IgnoresTheRunItselfAndRunsNeverCompleted() =>
        RunEta.Of(Run(1, 5), [Run(1, 5), Run(2, null), Run(3, 12)]).ShouldBe(TimeSpan.FromSeconds(12));

    [Fact]
    public void Of_NoEarlierSucceededRun_IsNone() =>
        RunEta.Of(Run(9, null, ActionRunStatus.Running), [Run(1, 10, ActionRunStatus.Failed), Run(2, 3, ActionRunStatus.Skipped)]).ShouldBeNull();
}
