using Watchdog.Actions;
using Watchdog.Incidents.Reports;
using Watchdog.Records;
using Watchdog.Tests.Fakes;

namespace Watchdog.Tests.Incidents.Reports;

public sealed class IncidentReportBuilderTests
{
    [Fact]
    public async Task BuildAsync_UnknownId_ReturnsNull()
    {
        await using var store = new InMemoryWatchdogStore();
        await IncidentScenario.SeedClosedRollbackAsync(store);

        (await new IncidentReportBuilder(store).BuildAsync(404, default)).ShouldBeNull();
    }

    [Fact]
    public async Task BuildAsync_TwoIncidents_GathersOnlyTheRequestedOnesRecordsOldestFirst()
    {
        await using var store = new InMemoryWatchdogStore();
        var checkout = await IncidentScenario.SeedClosedRollbackAsync(store);
        var payments = await IncidentScenario.SeedOpenAwaitingApprovalAsync(store, IncidentScenario.T0.AddHours(1));

        var report = (await new IncidentReportBuilder(store).BuildAsync(checkout, default))!;

        report.Incident.Id.ShouldBe(checkout);
        report.Timeline.Count.ShouldBe(13);
        report.Timeline.ShouldAllBe(e => e.IncidentId == checkout);
        report.Timeline.Select(e => e.At).ShouldBeInOrder(SortDirection.Ascending);
        var run = report.Runs.ShouldHaveSingleItem();
        run.Run.Status.ShouldBe(ActionRunStatus.Succeeded);
        run.Steps.Select(s => s.Action).ShouldBe(["flag-reduce", "deployment-undo"]);
        report.Approvals.ShouldHaveSingleItem().IncidentId.ShouldBe(checkout);
        report.Decisions.ShouldHaveSingleItem().IncidentId.ShouldBe(checkout);
        (await new IncidentReportBuilder(store).BuildAsync(payments, default))!.Approvals.ShouldHaveSingleItem().IncidentId.ShouldBe(payments);
    }
}
