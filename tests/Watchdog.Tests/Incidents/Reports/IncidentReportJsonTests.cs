using System.Text.Json;
using Watchdog.Incidents.Reports;
using Watchdog.Records;
using Watchdog.Tests.Fakes;

namespace Watchdog.Tests.Incidents.Reports;

public sealed class IncidentReportJsonTests
{
    [Fact]
    public async Task Serialize_ClosedRollback_ReadsBackWithEveryFieldAndDuration()
    {
        var json = IncidentReportJson.Serialize(await ClosedRollbackAsync());

        var document = IncidentReportJson.Deserialize(json)!;

        var incident = document.Incident;
        incident.Id.ShouldBe(1);
        incident.Target.ShouldBe("checkout");
        incident.Policy.ShouldBe("checkout-slo");
        incident.Status.ShouldBe("closed");
        incident.Environment.ShouldBe("production");
        incident.DetectedAt.ShouldBe(IncidentScenario.T0);
        incident.ActionStartedAt.ShouldBe(IncidentScenario.T0.AddSeconds(125));
        incident.ActionCompletedAt.ShouldBe(IncidentScenario.T0.AddSeconds(210));
        incident.VerifiedHealthyAt.ShouldBe(IncidentScenario.T0.AddSeconds(510));
        incident.ClosedAt.ShouldBe(IncidentScenario.T0.AddSeconds(510));
        incident.CloseReason.ShouldBe("recovered");
        incident.ClosedBy.ShouldBe("watchdog");
        incident.TriggerRule.ShouldBe("error-rate-critical");
        incident.TriggerAction.ShouldBe("rollback");
        incident.TriggerAuthority.ShouldBe("on-call");
        incident.TriggerSummary.ShouldBe("error_rate 12.5% > 10% for 30s");
        incident.BeforeState.ShouldBe("checkout:v5-bad (revision 5)");
        incident.AfterState.ShouldBe("checkout:v4 (revision 6, was 4)");
        incident.ApprovedBy.ShouldBe("alice");
        incident.Durations.DetectionToAction.ShouldBe(new(125, "PT2M5S"));
        incident.Durations.ActionToRecovery.ShouldBe(new(385, "PT6M25S"));
        incident.Durations.Total.ShouldBe(new(540, "PT9M"));
        incident.BreachStartedAt.ShouldBe(IncidentScenario.T0.AddSeconds(-30));
        incident.Durations.BreachToDetection.ShouldBe(new(30, "PT30S"));
        incident.Durations.ActionDuration.ShouldBe(new(85, "PT1M25S"));
        incident.Durations.ActionDoneToRecovery.ShouldBe(new(300, "PT5M"));

        document.Timeline.Count.ShouldBe(13);
        document.Timeline[0].Kind.ShouldBe("detected");
        document.Timeline[0].Detail!.Value.GetProperty("error_rate").GetDouble().ShouldBe(0.125);
        document.Timeline[4].Offset.ShouldBe("T+1m50s");
        document.Timeline[4].OffsetSeconds.ShouldBe(110);
        document.Timeline[4].Summary.ShouldBe("alice approved rollback");

        var run = document.Runs.ShouldHaveSingleItem();
        (run.Id, run.Action, run.Authority, run.Rule, run.Status, run.DryRun).ShouldBe((5L, "rollback", "on-call", "error-rate-critical", "succeeded", false));
        run.Duration.ShouldBe(new(85, "PT1M25S"));
        run.Steps.Select(s => (s.Index, s.Action, s.Status, s.Attempts)).ShouldBe([(0, "flag-reduce", "succeeded", 1), (1, "deployment-undo", "succeeded", 1)]);
        run.Steps[0].Parameters.ShouldBe(new Dictionary<string, string> { ["flag"] = "checkout-v2", ["percent"] = "0" });
        run.Steps[1].Result!.Value.GetProperty("toRevision").GetInt32().ShouldBe(4);

        var approval = document.Approvals.ShouldHaveSingleItem();
        (approval.Id, approval.RunId, approval.Required, approval.Status, approval.DecidedBy).ShouldBe((6L, 5L, "on-call", "approved", "alice"));
        approval.DecidedAt.ShouldBe(IncidentScenario.T0.AddSeconds(110));

        var decision = document.Decisions.ShouldHaveSingleItem();
        (decision.Action, decision.Authority, decision.Rule).ShouldBe(("rollback", "on-call", "error-rate-critical"));
        decision.Explanation!.Value.GetProperty("rule").GetString().ShouldBe("error-rate-critical");
    }

    [Fact]
    public async Task Serialize_ReadBackAndWrittenAgain_IsTheSameText()
    {
        var json = IncidentReportJson.Serialize(await ClosedRollbackAsync());

        var again = JsonSerializer.Serialize(IncidentReportJson.Deserialize(json), Watchdog.Incidents.Reports.Json.ReportsJsonContext.Default.IncidentReportDocument);

        again.ShouldBe(json);
    }

    [Fact]
    public async Task Serialize_UsesCamelCasePolicyNamesAndSecondsAsNumbers()
    {
        using var json = JsonDocument.Parse(IncidentReportJson.Serialize(await ClosedRollbackAsync()));
        var incident = json.RootElement.GetProperty("incident");

        incident.GetProperty("triggerAction").GetString().ShouldBe("rollback");
        incident.GetProperty("triggerAuthority").GetString().ShouldBe("on-call");
        incident.GetProperty("durations").GetProperty("total").GetProperty("seconds").ValueKind.ShouldBe(JsonValueKind.Number);
        incident.GetProperty("durations").GetProperty("total").GetProperty("iso").GetString().ShouldBe("PT9M");
        json.RootElement.GetProperty("runs")[0].GetProperty("steps")[0].GetProperty("result").ValueKind.ShouldBe(JsonValueKind.Object);
    }

    [Fact]
    public async Task Serialize_OpenIncident_HasNullDurationsAndPendingApproval()
    {
        await using var store = new InMemoryWatchdogStore();
        var id = await IncidentScenario.SeedOpenAwaitingApprovalAsync(store, IncidentScenario.T0);
        var report = (await new IncidentReportBuilder(store).BuildAsync(id, default))!;

        var document = IncidentReportJson.Deserialize(IncidentReportJson.Serialize(report))!;

        document.Incident.Status.ShouldBe("open");
        document.Incident.Durations.ShouldBe(new(null, null, null, null, null, null));
        document.Approvals.ShouldHaveSingleItem().Status.ShouldBe("pending");
        document.Runs.ShouldHaveSingleItem().Status.ShouldBe("awaiting-approval");
    }

    [Fact]
    public void Serialize_DetailThatIsNotJson_IsKeptAsAString()
    {
        var incident = new Incident
        {
            Id = 2,
            Target = "search",
            Policy = "p",
            DetectedAt = IncidentScenario.T0,
            TriggerRule = "r",
            TriggerAction = Watchdog.Rules.DecisionAction.Rollback,
            TriggerAuthority = Watchdog.Rules.Authority.Automatic,
            TriggerSummary = "s",
        };
        var report = new IncidentReport(incident, [new IncidentEvent(2, IncidentScenario.T0, "detected", "s", "not json {")], [], [], []);

        var document = IncidentReportJson.Deserialize(IncidentReportJson.Serialize(report))!;

        document.Timeline.ShouldHaveSingleItem().Detail!.Value.GetString().ShouldBe("not json {");
    }

    private static async Task<IncidentReport> ClosedRollbackAsync()
    {
        await using var store = new InMemoryWatchdogStore();
        var id = await IncidentScenario.SeedClosedRollbackAsync(store);
        return (await new IncidentReportBuilder(store).BuildAsync(id, default))!;
    }
}
