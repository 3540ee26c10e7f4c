using Watchdog.IntegrationTests.Servers;
using Watchdog.Records;
using Watchdog.Store;
using Xunit.Abstractions;

namespace Watchdog.IntegrationTests.Faults;

/// <summary>
/// A real daemon killed with SIGKILL in the middle of a burst of Alertmanager webhooks from several clients, then
/// started again on the same store (SQLite, and a PostgreSQL database). Every notification answered 200 before the
/// kill is in the store exactly once; those that got no answer are sent again, as Alertmanager does, and are stored
/// once too, whether or not the dead process had committed them.
/// </summary>
[Trait("Suite", "Faults")]
[Collection(PostgresTestGroup.Name)]
public sealed class DaemonKillDuringWebhookBurstTests(PostgresServer postgres, ITestOutputHelper output) : IDisposable
{
    private const int Notifications = 400;
    private readonly TempDirectory _dir = new();

    public void Dispose() => _dir.Dispose();

    [Fact]
    public Task KillDuringAWebhookBurst_OnSqlite_EveryAlertAnswered200IsStoredExactlyOnce() =>
        KillDuringBurstAsync("store: {path: watchdog.db}", () => WatchdogStoreFactory.OpenSqlite(Path.Combine(_dir.Path, "watchdog.db")));

    [Fact]
    public async Task KillDuringAWebhookBurst_OnPostgres_EveryAlertAnswered200IsStoredExactlyOnce()
    {
        var database = await postgres.CreateDatabaseAsync();
        await KillDuringBurstAsync($"store: {{kind: postgres, connection_string: \"{database}\"}}", () => WatchdogStoreFactory.OpenPostgres(database));
    }

    private async Task KillDuringBurstAsync(string store, Func<IWatchdogStore> openStore)
    {
        _dir.Write("policy.yaml", FaultFiles.ThresholdPolicy(signal: "alert:NeverSent"));
        var config = _dir.Write("watchdog.yaml", $$$"""
            {{{store}}}
            policies: [policy.yaml]
            defaults: {interval: 500ms, dry_run: false}
            targets:
              - {name: web, policy: error-rate, alerts: {match: {service: web}}, plans: {rollback: [{action: notify-only}]}}
            """);
        await using var daemon = await DaemonProcess.StartAsync(config, output);
        using var api = new DaemonApi(daemon);
        var burst = new AlertBurst("kill");

        using var stop = new CancellationTokenSource();
        var sending = burst.SendAsync(api, Notifications, clients: 4, pause: TimeSpan.FromMilliseconds(10), stop.Token);
        await api.UntilAsync(() => Task.FromResult(burst.Delivered.Count >= 100), "100 notifications were answered 200");
        await daemon.KillAsync();
        await sending;
        output.WriteLine($"before the restart: {burst.Delivered.Count} answered 200, {burst.Undelivered.Count} not");
        burst.Undelivered.ShouldNotBeEmpty("the kill came in the middle of the burst");
        burst.Answers.Values.Where(a => a != "200").ShouldAllBe(a => a.StartsWith("no answer", StringComparison.Ordinal), "until the kill, every call was answered 200");

        await daemon.StartAgainAsync();
        await burst.RedeliverAsync(api);

        burst.Delivered.Count.ShouldBe(Notifications, string.Join(", ", burst.Undelivered.Select(n => $"{n}: {burst.Answers[n]}")));
        await using var reader = openStore();
        await burst.AssertStoredExactlyOnceAsync(reader);
    }
}
