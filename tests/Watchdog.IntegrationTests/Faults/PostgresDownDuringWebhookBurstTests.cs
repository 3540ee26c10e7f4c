using Watchdog.IntegrationTests.Servers;
using Watchdog.Store;
using Xunit.Abstractions;

namespace Watchdog.IntegrationTests.Faults;

/// <summary>
/// The daemon's PostgreSQL (a server of this test's own, not the shared one) is stopped in the middle of a burst of
/// webhooks and started again. While it is down the intake answers 503, so that Alertmanager sends again; the daemon
/// itself stays up; once the database is back the intake answers 200 again, and every alert answered 200, before,
/// during or after the outage, is stored exactly once.
/// </summary>
[Trait("Suite", "Faults")]
public sealed class PostgresDownDuringWebhookBurstTests(ITestOutputHelper output) : IAsyncLifetime, IDisposable
{
    private readonly PostgresServer _postgres = new();
    private readonly TempDirectory _dir = new();

    public Task InitializeAsync() => _postgres.InitializeAsync();

    public Task DisposeAsync() => _postgres.DisposeAsync();

    public void Dispose() => _dir.Dispose();

    [Fact]
    public async Task PostgresDownDuringAWebhookBurst_IntakeAnswers503_AndEveryAlertAnswered200IsStoredOnceItIsBack()
    {
        var database = await _postgres.CreateDatabaseAsync();
        _dir.Write("policy.yaml", FaultFiles.ThresholdPolicy(signal: "alert:NeverSent"));
        var config = _dir.Write("watchdog.yaml", $$$"""
            store: {kind: postgres, connection_string: "{{{database}}}"}
            policies: [policy.yaml]
            defaults: {interval: 500ms, dry_run: false}
            targets:
              - {name: web, policy: error-rate, alerts: {match: {service: web}}, plans: {rollback: [{action: notify-only}]}}
            """);
        await using var daemon = await DaemonProcess.StartAsync(config, output);
        using var api = new DaemonApi(daemon);
        var burst = new AlertBurst("outage", alertsPerNotification: 1);

        using var stop = new CancellationTokenSource();
        var sending = burst.SendAsync(api, count: 900, clients: 2, pause: TimeSpan.FromMilliseconds(25), stop.Token);
        await api.UntilAsync(() => Task.FromResult(burst.Delivered.Count >= 30), "30 notifications were stored before the outage");
        await _postgres.PauseAsync();
        await api.UntilAsync(() => Task.FromResult(burst.CountAnswered("503") >= 5), "the intake answered 503 while PostgreSQL was down");
        await _postgres.ResumeAsync();
        var deliveredBeforeResume = burst.Delivered.Count;
        await api.UntilAsync(() => Task.FromResult(burst.Delivered.Count >= deliveredBeforeResume + 30), "the intake stored notifications again once PostgreSQL was back");
        await stop.CancelAsync();
        await sending;
        output.WriteLine($"{burst.Answers.Count} sent: {burst.CountAnswered("200")} answered 200, {burst.CountAnswered("503")} answered 503");

        burst.Answers.Values.Distinct().Order(StringComparer.Ordinal).ToArray().ShouldBe(["200", "503"], "every call was answered: the daemon stayed up, and a store failure is a 503");
        daemon.Pid.ShouldNotBe(0, "the daemon is still running");
        await burst.RedeliverAsync(api);
        burst.Undelivered.ShouldBeEmpty();
        await using var reader = WatchdogStoreFactory.OpenPostgres(database);
        await burst.AssertStoredExactlyOnceAsync(reader);
    }
}
