using Watchdog.Incidents;
using Watchdog.Records;
using Watchdog.Rules;
using Watchdog.Store;
using static Watchdog.IntegrationTests.Store.StoreSamples;

namespace Watchdog.IntegrationTests.Store;

/// <summary>Incidents, their timelines and decisions.</summary>
public abstract partial class StoreContractTests
{
    [Fact]
    public async Task InsertIncident_ReturnsANewId_AndEveryFieldReadsBack()
    {
        var full = Incident("checkout") with
        {
            Environment = "production",
            BreachStartedAt = At(-30),
            TriggerAction = DecisionAction.ScaleThenRollback,
            TriggerAuthority = Authority.TeamLead,
            ActionStartedAt = At(10),
            ActionCompletedAt = At(70),
            VerifiedHealthyAt = At(370),
            BeforeState = "deployment/checkout revision 5",
            AfterState = "deployment/checkout revision 4",
            ApprovedBy = "alice",
        };
        var bare = Incident("search");

        var (storedFull, storedBare) = await InTransactionAsync(async tx =>
            (await tx.InsertIncidentAsync(full, Ct), await tx.InsertIncidentAsync(bare, Ct)));

        storedFull.Id.ShouldBeGreaterThan(0);
        storedBare.Id.ShouldNotBe(storedFull.Id);
        (await Store.GetIncidentAsync(storedFull.Id, Ct)).ShouldBe(full with { Id = storedFull.Id });
        (await Store.GetIncidentAsync(storedBare.Id, Ct)).ShouldBe(bare with { Id = storedBare.Id });
    }

    [Fact]
    public async Task UpdateIncident_WritesEveryField()
    {
        var incident = await InTransactionAsync(tx => tx.InsertIncidentAsync(Incident(), Ct));
        var closed = incident with
        {
            Policy = "latency",
            Status = IncidentStatus.Closed,
            Environment = "staging",
            BreachStartedAt = At(-20),
            TriggerRule = "leaf 3",
            TriggerAction = DecisionAction.StopWrites,
            TriggerAuthority = Authority.Cto,
            TriggerSummary = "p99 2.1s > 1s",
            ActionStartedAt = At(5),
            ActionCompletedAt = At(65),
            VerifiedHealthyAt = At(365),
            ClosedAt = At(665),
            CloseReason = "recovered",
            ClosedBy = "watchdog",
            BeforeState = "flag checkout-v2 at 50%",
            AfterState = "flag checkout-v2 at 0%",
            ApprovedBy = "automatic",
        };

        await InTransactionAsync(tx => tx.UpdateIncidentAsync(closed, Ct));

        (await Store.GetIncidentAsync(incident.Id, Ct)).ShouldBe(closed);
        (await Store.GetOpenIncidentAsync("checkout", Ct)).ShouldBeNull();
    }

    [Fact]
    public async Task InsertIncident_WhileTheTargetHasAnOpenOne_IsAConflict()
    {
        var open = await InTransactionAsync(tx => tx.InsertIncidentAsync(Incident("checkout"), Ct));

        await using var tx = await Store.BeginAsync(Ct);
        await Should.ThrowAsync<StoreConflictException>(() => tx.InsertIncidentAsync(Incident("checkout", detectedAt: 5), Ct));

        // Other targets, and closed incidents of the same target, are not affected.
        await tx.InsertIncidentAsync(Incident("search", detectedAt: 5), Ct);
        await tx.InsertIncidentAsync(Incident("checkout", detectedAt: -600) with { Status = IncidentStatus.Closed, ClosedAt = At(-300) }, Ct);
        await tx.CommitAsync(Ct);

        (await Store.GetOpenIncidentAsync("checkout", Ct)).ShouldBe(open);
        (await Store.ListIncidentsAsync(new(Target: "checkout"), Ct)).Count.ShouldBe(2);
    }

    [Fact]
    public async Task Conflict_LeavesTheTransactionUsable_AndItsEarlierWritesCommit()
    {
        var open = await InTransactionAsync(tx => tx.InsertIncidentAsync(Incident(), Ct));

        await using (var tx = await Store.BeginAsync(Ct))
        {
            await tx.InsertDecisionAsync(Decision(at: 1, incidentId: open.Id), Ct);
            await Should.ThrowAsync<StoreConflictException>(() => tx.InsertIncidentAsync(Incident(detectedAt: 1), Ct));
            var existing = await tx.GetOpenIncidentAsync("checkout", Ct);
            await tx.AppendEventAsync(new IncidentEvent(existing!.Id, At(1), IncidentEventKind.Decision, "joined the open incident"), Ct);
            await tx.CommitAsync(Ct);
        }

        (await Store.ListDecisionsAsync(null, open.Id, 10, Ct)).Count.ShouldBe(1);
        (await Store.GetTimelineAsync(open.Id, Ct)).Single().Summary.ShouldBe("joined the open incident");
        (await Store.ListIncidentsAsync(new(), Ct)).ShouldBe([open]);
    }

    [Fact]
    public async Task AfterClosing_TheTargetMayOpenANewIncident()
    {
        var first = await InTransactionAsync(tx => tx.InsertIncidentAsync(Incident(), Ct));
        await InTransactionAsync(tx => tx.UpdateIncidentAsync(first with { Status = IncidentStatus.Closed, ClosedAt = At(600), CloseReason = "manual" }, Ct));

        var second = await InTransactionAsync(tx => tx.InsertIncidentAsync(Incident(detectedAt: 900), Ct));

        second.Id.ShouldNotBe(first.Id);
        (await Store.GetOpenIncidentAsync("checkout", Ct)).ShouldBe(second);
    }

    [Fact]
    public async Task UpdateIncident_ReopeningWhileAnotherIsOpen_IsAConflict()
    {
        var first = await InTransactionAsync(tx => tx.InsertIncidentAsync(Incident(), Ct));
        var closed = first with { Status = IncidentStatus.Closed, ClosedAt = At(600) };
        await InTransactionAsync(tx => tx.UpdateIncidentAsync(closed, Ct));
        var second = await InTransactionAsync(tx => tx.InsertIncidentAsync(Incident(detectedAt: 900), Ct));

        await using var tx = await Store.BeginAsync(Ct);
        await Should.ThrowAsync<StoreConflictException>(() => tx.UpdateIncidentAsync(closed with { Status = IncidentStatus.Open }, Ct));
        await tx.CommitAsync(Ct);

        (await Store.GetIncidentAsync(first.Id, Ct)).ShouldBe(closed);
        (await Store.GetOpenIncidentAsync("checkout", Ct)).ShouldBe(second);
    }

    [Fact]
    public async Task ListIncidents_FiltersByStatusTargetAndSince_NewestFirst_UpToTheLimit()
    {
        var a = await InTransactionAsync(tx => tx.InsertIncidentAsync(Incident("a", detectedAt: 10) with { Status = IncidentStatus.Closed }, Ct));
        var b = await InTransactionAsync(tx => tx.InsertIncidentAsync(Incident("b", detectedAt: 30), Ct));
        var c = await InTransactionAsync(tx => tx.InsertIncidentAsync(Incident("a", detectedAt: 20), Ct));
        var d = await InTransactionAsync(tx => tx.InsertIncidentAsync(Incident("c", detectedAt: 20), Ct));

        (await Store.ListIncidentsAsync(new(), Ct)).ShouldBe([b, d, c, a]);
        (await Store.ListIncidentsAsync(new(Limit: 2), Ct)).ShouldBe([b, d]);
        (await Store.ListIncidentsAsync(new(Status: IncidentStatus.Open), Ct)).ShouldBe([b, d, c]);
        (await Store.ListIncidentsAsync(new(Status: IncidentStatus.Closed), Ct)).ShouldBe([a]);
        (await Store.ListIncidentsAsync(new(Target: "a"), Ct)).ShouldBe([c, a]);
        (await Store.ListIncidentsAsync(new(Since: At(20)), Ct)).ShouldBe([b, d, c]);
        (await Store.ListIncidentsAsync(new(Status: IncidentStatus.Open, Target: "a", Since: At(21)), Ct)).ShouldBeEmpty();
    }

    [Fact]
    public async Task Timeline_ReadsBackInTheOrderAppended_OnlyForItsIncident()
    {
        var (incident, other) = await InTransactionAsync(async tx =>
            (await tx.InsertIncidentAsync(Incident("checkout"), Ct), await tx.InsertIncidentAsync(Incident("search"), Ct)));
        var appended = new List<IncidentEvent>();

        await InTransactionAsync(async tx =>
        {
            appended.Add(await tx.AppendEventAsync(new(incident.Id, At(0), IncidentEventKind.Detected, "detected", """{"error_rate":0.12}"""), Ct));
            await tx.AppendEventAsync(new(other.Id, At(0), IncidentEventKind.Detected, "elsewhere"), Ct);
            appended.Add(await tx.AppendEventAsync(new(incident.Id, At(1), IncidentEventKind.ActionPlanned, "rollback planned"), Ct));
        });
        appended.Add(await InTransactionAsync(tx => tx.AppendEventAsync(new(incident.Id, At(1), IncidentEventKind.StepStarted, "step 0 started"), Ct)));

        appended.Select(e => e.Id).ShouldBeUnique();
        appended.ShouldAllBe(e => e.Id > 0);
        (await Store.GetTimelineAsync(incident.Id, Ct)).ShouldBe(appended);
    }

    [Fact]
    public async Task InsertDecision_ReturnsANewId_AndEveryFieldReadsBack()
    {
        var incident = await InTransactionAsync(tx => tx.InsertIncidentAsync(Incident(), Ct));
        var withIncident = Decision(incidentId: incident.Id);
        var inconclusive = new DecisionRecord("checkout", "error-rate", At(5), DecisionAction.None, Authority.Automatic, true, null, "no data", "{}", null);

        var (first, second) = await InTransactionAsync(async tx =>
            (await tx.InsertDecisionAsync(withIncident, Ct), await tx.InsertDecisionAsync(inconclusive, Ct)));

        first.Id.ShouldBeGreaterThan(0);
        second.Id.ShouldNotBe(first.Id);
        (await Store.ListDecisionsAsync(null, null, 10, Ct)).ShouldBe([inconclusive with { Id = second.Id }, withIncident with { Id = first.Id }]);
    }

    [Fact]
    public async Task Decisions_StoreEveryActionAndAuthority()
    {
        var stored = await InTransactionAsync(async tx =>
        {
            var all = new List<DecisionRecord>();
            var second = 0;
            foreach (var action in AllOf<DecisionAction>())
            {
                foreach (var authority in AllOf<Authority>())
                {
                    all.Add(await tx.InsertDecisionAsync(Decision(at: second++) with { Action = action, Authority = authority }, Ct));
                }
            }

            return all;
        });

        var read = await Store.ListDecisionsAsync(null, null, 1000, Ct);
        read.Reverse().ShouldBe(stored);
    }

    [Fact]
    public async Task ListDecisions_FiltersByTargetAndIncident_NewestFirst_UpToTheLimit()
    {
        var incident = await InTransactionAsync(tx => tx.InsertIncidentAsync(Incident(), Ct));
        var (a, b, c, d) = await InTransactionAsync(async tx => (
            await tx.InsertDecisionAsync(Decision("checkout", at: 10), Ct),
            await tx.InsertDecisionAsync(Decision("checkout", at: 30, incidentId: incident.Id), Ct),
            await tx.InsertDecisionAsync(Decision("search", at: 20), Ct),
            await tx.InsertDecisionAsync(Decision("checkout", at: 30, incidentId: incident.Id), Ct)));

        (await Store.ListDecisionsAsync(null, null, 100, Ct)).ShouldBe([d, b, c, a]);
        (await Store.ListDecisionsAsync(null, null, 3, Ct)).ShouldBe([d, b, c]);
        (await Store.ListDecisionsAsync("checkout", null, 100, Ct)).ShouldBe([d, b, a]);
        (await Store.ListDecisionsAsync(null, incident.Id, 100, Ct)).ShouldBe([d, b]);
        (await Store.ListDecisionsAsync("search", incident.Id, 100, Ct)).ShouldBeEmpty();
    }
}
