using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Time.Testing;
using Watchdog.Configuration;
using Watchdog.Incidents.Reports;
using Watchdog.Records;
using Watchdog.Tests.Fakes;

namespace Watchdog.Tests.Incidents.Reports;

/// <summary>
/// A minimal host on a real Kestrel at 127.0.0.1:0, wired by the same two extensions the daemon uses, over an
/// in-memory store holding the closed checkout rollback (#1) and, two hours later, the open payments incident.
/// </summary>
internal sealed class ReportsApi : IAsyncDisposable
{
    private readonly WebApplication _app;
    private readonly InMemoryWatchdogStore _store;

    private ReportsApi(WebApplication app, InMemoryWatchdogStore store, FakeTimeProvider clock)
    {
        _app = app;
        _store = store;
        Clock = clock;
        Http = new HttpClient { BaseAddress = new Uri(app.Urls.Single()) };
    }

    public HttpClient Http { get; }

    public FakeTimeProvider Clock { get; }

    public static async Task<ReportsApi> StartAsync()
    {
        var store = new InMemoryWatchdogStore();
        await IncidentScenario.SeedClosedRollbackAsync(store);
        await IncidentScenario.SeedOpenAwaitingApprovalAsync(store, IncidentScenario.T0.AddHours(2));
        var clock = TestClock.At(IncidentScenario.T0.AddDays(1));

        var builder = WebApplication.CreateBuilder();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        builder.Logging.ClearProviders();
        builder.Services.AddSingleton<IWatchdogStore>(store);
        builder.Services.AddSingleton<TimeProvider>(clock);
        builder.Services.AddWatchdogReports(new WatchdogOptions());
        var app = builder.Build();
        app.MapIncidentEndpoints();
        await app.StartAsync();
        return new ReportsApi(app, store, clock);
    }

    public async ValueTask DisposeAsync()
    {
        Http.Dispose();
        await _app.StopAsync();
        await _app.DisposeAsync();
        await _store.DisposeAsync();
    }
}
