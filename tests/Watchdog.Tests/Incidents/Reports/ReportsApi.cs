using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;
using Watchdog.Configuration;
using Watchdog.Incidents.Reports;
using Watchdog.Records;
using Watchdog.Tests.Fakes;

namespace Watchdog.Tests.Incidents.Reports;

/// <summary>
/// A minimal host on a real Kestrel at 127.0.0.1 (a free port), wired by the same two extensions the daemon uses, over an
/// in-memory store holding the closed checkout rollback (#1) and, two hours later, the open payments incident.
/// </summary>
internal sealed class ReportsApi : IAsyncDisposable
{
    private readonly LoopbackServer _server;
    private readonly InMemoryWatchdogStore _store;

    private ReportsApi(LoopbackServer server, InMemoryWatchdogStore store, FakeTimeProvider clock)
    {
        _server = server;
        _store = store;
        Clock = clock;
        Http = new HttpClient { BaseAddress = server.Url };
    }

    public HttpClient Http { get; }

    public FakeTimeProvider Clock { get; }

    public static async Task<ReportsApi> StartAsync()
    {
        var store = new InMemoryWatchdogStore();
        await IncidentScenario.SeedClosedRollbackAsync(store);
        await IncidentScenario.SeedOpenAwaitingApprovalAsync(store, IncidentScenario.T0.AddHours(2));
        var clock = TestClock.At(IncidentScenario.T0.AddDays(1));

        var server = await LoopbackServer.StartAsync(app => app.MapIncidentEndpoints(), services => services
            .AddSingleton<IWatchdogStore>(store)
            .AddSingleton<TimeProvider>(clock)
            .AddWatchdogReports(new WatchdogOptions()));
        return new ReportsApi(server, store, clock);
    }

    public async ValueTask DisposeAsync()
    {
        Http.Dispose();
        await _server.DisposeAsync();
        await _store.DisposeAsync();
    }
}
