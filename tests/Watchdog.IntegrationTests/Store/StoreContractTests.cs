using Watchdog.Actions;
using Watchdog.Incidents;
using Watchdog.Records;
using Watchdog.Rules;
using Watchdog.Store;
using static Watchdog.IntegrationTests.Store.StoreSamples;

namespace Watchdog.IntegrationTests.Store;

/// <summary>
/// What every <see cref="IWatchdogStore"/> must do, run against SQLite, PostgreSQL and the unit tests' in-memory
/// store. Each test starts from an empty, migrated store of its own.
/// </summary>
public abstract partial class StoreContractTests : IAsyncLifetime, IDisposable
{
    // Long enough for a slow machine, short enough that a lock that never comes fails the test instead of the run.
    private readonly CancellationTokenSource _timeout = new(TimeSpan.FromSeconds(60));

    private protected IWatchdogStore Store { get; private set; } = null!;

    protected CancellationToken Ct => _timeout.Token;

    /// <summary>A store over an empty database of its own, not yet migrated.</summary>
    private protected abstract Task<IWatchdogStore> CreateStoreAsync();

    public async Task InitializeAsync()
    {
        Store = await CreateStoreAsync();
        await Store.MigrateAsync(Ct);
    }

    public async Task DisposeAsync() => await Store.DisposeAsync();

    // xunit calls this after DisposeAsync, so the store has let go of its files by now.
    public void Dispose()
    {
        Dispose(disposing: true);
        GC.SuppressFinalize(this);
    }

    protected virtual void Dispose(bool disposing)
    {
        if (disposing)
        {
            _timeout.Dispose();
        }
    }

    [Fact]
    public async Task Migrate_AgainOnAMigratedStore_IsHarmlessAndKeepsTheData()
    {
        var incident = await InTransactionAsync(tx => tx.InsertIncidentAsync(Incident(), Ct));

        await Store.MigrateAsync(Ct);
        await Store.MigrateAsync(Ct);

        (await Store.GetIncidentAsync(incident.Id, Ct)).ShouldBe(incident);
    }

    [Fact]
    public void Describe_SaysWhereTheDataLives()
    {
        Store.Describe().ShouldNotBeNullOrWhiteSpace();
    }

    [Fact]
    public async Task Transaction_DisposedWithoutCommit_RollsBackEveryWrite()
    {
        var kept = await InTransactionAsync(tx => tx.InsertIncidentAsync(Incident("kept"), Ct));

        await using (var tx = await Store.BeginAsync(Ct))
        {
            var incident = await tx.InsertIncidentAsync(Incident("checkout"), Ct);
            await tx.AppendEventAsync(new IncidentEvent(incident.Id, At(1), IncidentEventKind.Detected, "detected"), Ct);
            await tx.AppendEventAsync(new IncidentEvent(kept.Id, At(1), IncidentEventKind.Decision, "decided"), Ct);
            await tx.InsertDecisionAsync(Decision(incidentId: incident.Id), Ct);
            var run = await tx.InsertRunAsync(Run(incident.Id), Ct);
            await tx.InsertStepAsync(Step(run.Id, 0), Ct);
            await tx.InsertApprovalAsync(Approval(run.Id, incident.Id), Ct);
            await tx.UpdateIncidentAsync(kept with { Status = IncidentStatus.Closed, ClosedAt = At(2) }, Ct);
            (await tx.TryEnqueueNotificationAsync(Notification(incident.Id, "k"), Ct)).ShouldBeTrue();
            (await tx.TryInsertAlertAsync(Alert("f1"), Ct)).ShouldBeTrue();
            await tx.MarkBadRevisionAsync("checkout", "deployment/checkout", "5", incident.Id, At(1), Ct);
        }

        (await Store.ListIncidentsAsync(new(), Ct)).ShouldBe([kept]);
        (await Store.GetOpenIncidentAsync("checkout", Ct)).ShouldBeNull();
        (await Store.GetTimelineAsync(kept.Id, Ct)).ShouldBeEmpty();
        (await Store.ListDecisionsAsync(null, null, 100, Ct)).ShouldBeEmpty();
        (await Store.ListRunsAsync(new(), Ct)).ShouldBeEmpty();
        (await Store.ListApprovalsAsync(null, Ct)).ShouldBeEmpty();
        (await Store.ListNotificationsAsync(null, null, 100, Ct)).ShouldBeEmpty();
        (await Store.ListAlertsAsync(100, Ct)).ShouldBeEmpty();
        (await Store.IsBadRevisionAsync("checkout", "deployment/checkout", "5", Ct)).ShouldBeFalse();
    }

    [Fact]
    public async Task Transaction_SeesItsOwnWrites_OthersSeeThemOnlyAfterCommit()
    {
        await using var tx = await Store.BeginAsync(Ct);
        var incident = await tx.InsertIncidentAsync(Incident(), Ct);

        (await tx.GetOpenIncidentAsync("checkout", Ct)).ShouldBe(incident);
        (await Store.GetOpenIncidentAsync("checkout", Ct)).ShouldBeNull();

        await tx.CommitAsync(Ct);
        (await Store.GetOpenIncidentAsync("checkout", Ct)).ShouldBe(incident);
    }

    [Fact]
    public async Task ConcurrentCheckThenInsert_ForOneTarget_OpensExactlyOneIncident()
    {
        await using var first = await Store.BeginAsync(Ct);
        (await first.GetOpenIncidentAsync("checkout", Ct)).ShouldBeNull();
        var winner = await first.InsertIncidentAsync(Incident(), Ct);

        // The second writer either waits for the first and then sees its incident (SQLite, in-memory), or
        // races it and loses on the unique index (PostgreSQL). It must never open a second incident.
        var second = Task.Run(async () =>
        {
            await using var tx = await Store.BeginAsync(Ct);
            if (await tx.GetOpenIncidentAsync("checkout", Ct) is not null)
            {
                return "saw the first";
            }

            try
            {
                await tx.InsertIncidentAsync(Incident(detectedAt: 1), Ct);
                await tx.CommitAsync(Ct);
                return "opened a second";
            }
            catch (StoreConflictException)
            {
                return "conflict";
            }
        });
        await Task.Delay(200, Ct);
        await first.CommitAsync(Ct);

        (await second).ShouldBeOneOf("saw the first", "conflict");
        (await Store.ListIncidentsAsync(new(Status: IncidentStatus.Open), Ct)).ShouldBe([winner]);
    }

    [Fact]
    public async Task GetById_UnknownIds_AreNullOrEmpty()
    {
        (await Store.GetIncidentAsync(4242, Ct)).ShouldBeNull();
        (await Store.GetRunAsync(4242, Ct)).ShouldBeNull();
        (await Store.GetApprovalAsync(4242, Ct)).ShouldBeNull();
        (await Store.GetStepsAsync(4242, Ct)).ShouldBeEmpty();
        (await Store.GetTimelineAsync(4242, Ct)).ShouldBeEmpty();
        (await Store.GetOpenIncidentAsync("nobody", Ct)).ShouldBeNull();
    }

    [Fact]
    public async Task Updates_OfRowsThatDoNotExist_Throw()
    {
        var incident = await InTransactionAsync(tx => tx.InsertIncidentAsync(Incident(), Ct));
        var run = await InTransactionAsync(tx => tx.InsertRunAsync(Run(incident.Id), Ct));
        await using var tx = await Store.BeginAsync(Ct);

        await Should.ThrowAsync<InvalidOperationException>(() => tx.UpdateIncidentAsync(incident with { Id = 4242, Status = IncidentStatus.Closed }, Ct));
        await Should.ThrowAsync<InvalidOperationException>(() => tx.UpdateRunAsync(run with { Id = 4242 }, Ct));
        await Should.ThrowAsync<InvalidOperationException>(() => tx.UpdateStepAsync(Step(run.Id, 7), Ct));
        await Should.ThrowAsync<InvalidOperationException>(() => tx.UpdateNotificationAsync(Notification(null, "k") with { Id = 4242 }, Ct));
    }

    private protected async Task<T> InTransactionAsync<T>(Func<IStoreTransaction, Task<T>> work)
    {
        await using var tx = await Store.BeginAsync(Ct);
        var result = await work(tx);
        await tx.CommitAsync(Ct);
        return result;
    }

    private protected async Task InTransactionAsync(Func<IStoreTransaction, Task> work)
    {
        await using var tx = await Store.BeginAsync(Ct);
        await work(tx);
        await tx.CommitAsync(Ct);
    }

    /// <summary>An incident and a run of it, committed: the parents most records need.</summary>
    private protected async Task<(Incident Incident, ActionRun Run)> SeedRunAsync(string target = "checkout")
    {
        var incident = await InTransactionAsync(tx => tx.InsertIncidentAsync(Incident(target), Ct));
        var run = await InTransactionAsync(tx => tx.InsertRunAsync(Run(incident.Id, target), Ct));
        return (incident, run);
    }

    protected static IEnumerable<T> AllOf<T>()
        where T : struct, Enum => Enum.GetValues<T>();
}
