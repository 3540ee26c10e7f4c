using Watchdog.Records;
using Watchdog.Rules;
using Watchdog.Telemetry;

namespace Watchdog.Tests.Telemetry;

public sealed class WatchdogMetricsTests : IDisposable
{
    private static readonly DateTimeOffset Breach = new(2026, 3, 1, 10, 0, 0, TimeSpan.Zero);
    private readonly MetricReadings _readings = new();
    private readonly FlagRolloutGauge _flags = new();
    private readonly StoreGauges _store = new();
    private readonly WatchdogMetrics _metrics;

    public WatchdogMetricsTests() => _metrics = new WatchdogMetrics(_readings.Factory, _flags, _store, "1.2.3");

    public void Dispose() => _readings.Dispose();

    [Fact]
    public void Evaluated_ARollback_CountsTheEvaluationAndTheDecision()
    {
        _metrics.Evaluated("checkout", Decided(DecisionAction.Rollback, Authority.OnCall));

        _readings.Of("watchdog.evaluations").ShouldHaveSingleItem()["outcome"].ShouldBe("rollback");
        var decision = _readings.Of("watchdog.decisions").ShouldHaveSingleItem();
        (decision["target"], decision["action"], decision["authority"]).ShouldBe(("checkout", "rollback", "on-call"));
    }

    [Fact]
    public void Evaluated_NoneOrInconclusive_CountsTheOutcomeButNoDecision()
    {
        _metrics.Evaluated("checkout", Decision.NoneAt(Breach));
        _metrics.Evaluated("checkout", Decision.InconclusiveAt(Breach));
        _metrics.EvaluationFailed("checkout");

        _readings.Of("watchdog.evaluations").Select(r => r["outcome"]).ShouldBe(["none", "inconclusive", "error"]);
        _readings.Of("watchdog.decisions").ShouldBeEmpty();
    }

    [Fact]
    public void SignalValue_IsShownForANumber_AndGoneOnceTheSignalHasNoData()
    {
        _metrics.SignalRead("checkout", "error_rate", "prometheus", SignalValue.Of(0.25));
        var shown = _readings.Observe("watchdog.signal.value").ShouldHaveSingleItem();
        (shown.Value, shown["target"], shown["signal"]).ShouldBe((0.25, "checkout", "error_rate"));

        _metrics.SignalRead("checkout", "error_rate", "prometheus", SignalValue.NoData);

        _readings.Observe("watchdog.signal.value").ShouldBeEmpty();
        _readings.Of("watchdog.signal.errors").ShouldBeEmpty();
    }

    [Fact]
    public void SignalRead_AnError_HidesTheValueAndCountsTheErrorWithItsSource()
    {
        _metrics.SignalRead("checkout", "error_rate", "prometheus", SignalValue.Of(0.25));
        _metrics.SignalRead("checkout", "error_rate", "prometheus", SignalValue.Error("connection refused"));

        _readings.Observe("watchdog.signal.value").ShouldBeEmpty();
        var error = _readings.Of("watchdog.signal.errors").ShouldHaveSingleItem();
        error.Labels.Keys.ShouldBe(["target", "signal", "source"], ignoreOrder: true);
        error["source"].ShouldBe("prometheus");
    }

    [Fact]
    public void RunEnded_Succeeded_RecordsDurationDetectionToActionAndTimeToRollbackFromTheBreach()
    {
        var incident = Incident() with { ActionStartedAt = Breach.AddSeconds(31) };

        _metrics.RunEnded(incident, Run(startedAt: Breach.AddSeconds(31)), ActionResults.Succeeded, Breach.AddSeconds(91));

        _readings.Of("watchdog.actions").ShouldHaveSingleItem()["result"].ShouldBe("succeeded");
        _readings.Of("watchdog.action.duration").ShouldHaveSingleItem().Value.ShouldBe(60);
        _readings.Of("watchdog.detection_to_action").ShouldHaveSingleItem().Value.ShouldBe(1);
        _readings.Of("watchdog.time_to_rollback").ShouldHaveSingleItem().Value.ShouldBe(91);
    }

    [Fact]
    public void RunEnded_Failed_IsNoRollback_AndAMissingIncidentCountsOnlyTheRun()
    {
        _metrics.RunEnded(Incident() with { ActionStartedAt = Breach.AddSeconds(31) }, Run(Breach.AddSeconds(31)), ActionResults.Failed, Breach.AddSeconds(40));
        _metrics.RunEnded(null, Run(Breach.AddSeconds(31)), ActionResults.Interrupted, Breach.AddSeconds(40));

        _readings.Of("watchdog.actions").Select(r => r["result"]).ShouldBe(["failed", "interrupted"]);
        _readings.Of("watchdog.time_to_rollback").ShouldBeEmpty();
        _readings.Of("watchdog.detection_to_action").Count.ShouldBe(1);
    }

    [Theory]
    [InlineData(nameof(ActionRunStatus.Succeeded), null, "succeeded")]
    [InlineData(nameof(ActionRunStatus.Failed), "step 1 (kubernetes-rollback) failed: refused: revision 3 of deployment/web was rolled back from before (known bad)", "refused")]
    [InlineData(nameof(ActionRunStatus.Failed), "step 1 (webhook) failed: HTTP 500", "failed")]
    [InlineData(nameof(ActionRunStatus.Interrupted), "step 1 was under way", "interrupted")]
    public void ActionResult_IsOneOfFour_WhateverTheReasonSays(string status, string? reason, string expected) =>
        ActionResults.Of(Enum.Parse<ActionRunStatus>(status), reason).ShouldBe(expected);

    [Fact]
    public void AlertsAndNotifications_AreCountedWithBoundedLabels()
    {
        _metrics.AlertReceived("resolved", "stored");
        _metrics.AlertReceived("something else", "unmatched");
        _metrics.NotificationRecorded("slack", NotificationStatus.Failed);

        _readings.Of("watchdog.alerts.received").Select(r => (r["status"], r["result"])).ShouldBe([("resolved", "stored"), ("firing", "unmatched")]);
        var notification = _readings.Of("watchdog.notifications").ShouldHaveSingleItem();
        (notification["channel"], notification["result"]).ShouldBe(("slack", "failed"));
    }

    [Fact]
    public void Gauges_ReportTheFlagsTheStoreCountsSourcesAndTheVersion()
    {
        _flags.Set("new-checkout", 25);
        _flags.Set("new-checkout", 10);
        _store.Update(2, TimeSpan.FromMinutes(16), 1, TimeSpan.FromMinutes(3));
        _metrics.SourceAnswered("prometheus", up: false);

        var flag = _readings.Observe("watchdog.flag.rollout_percent").ShouldHaveSingleItem();
        (flag.Value, flag["flag"]).ShouldBe((10, "new-checkout"));
        _readings.Observe("watchdog.pending_approvals").ShouldHaveSingleItem().Value.ShouldBe(2);
        _readings.Observe("watchdog.oldest_pending_approval_age").ShouldHaveSingleItem().Value.ShouldBe(960);
        _readings.Observe("watchdog.open_incidents").ShouldHaveSingleItem().Value.ShouldBe(1);
        _readings.Observe("watchdog.oldest_open_incident_age").ShouldHaveSingleItem().Value.ShouldBe(180);
        _readings.Observe("watchdog.source.up").ShouldHaveSingleItem().Value.ShouldBe(0);
        _readings.Observe("watchdog.build.info").ShouldHaveSingleItem()["version"].ShouldBe("1.2.3");
    }

    private static Decision Decided(DecisionAction action, Authority authority) =>
        new(Breach, action, authority, false, DecisionSource.Matrix, "errors-high", null, false);

    private static Incident Incident() => new()
    {
        Id = 7,
        Target = "checkout",
        Policy = "errors",
        BreachStartedAt = Breach,
        DetectedAt = Breach.AddSeconds(30),
        TriggerRule = "errors-high",
        TriggerAction = DecisionAction.Rollback,
        TriggerAuthority = Authority.Automatic,
        TriggerSummary = "error_rate > 0.1",
    };

    private static ActionRun Run(DateTimeOffset startedAt) => new()
    {
        Id = 3,
        IncidentId = 7,
        Target = "checkout",
        Action = DecisionAction.Rollback,
        Authority = Authority.Automatic,
        Rule = "errors-high",
        CreatedAt = startedAt,
        StartedAt = startedAt,
    };
}
