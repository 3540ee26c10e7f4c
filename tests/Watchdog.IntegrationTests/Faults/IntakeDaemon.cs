using Watchdog.IntegrationTests.Servers;

namespace Watchdog.IntegrationTests.Faults;

/// <summary>
/// A daemon whose work here is its webhook intake: bearer auth, a 4 KiB body limit, one target taking alerts with
/// <c>service: checkout</c> (its policy rolls back, in dry run, on <c>alert:CheckoutDown</c>).
/// </summary>
public sealed class IntakeDaemon : IAsyncLifetime, IDisposable
{
    public const string Token = "am-intake-token-0c5d2f";
    public const int MaxBodyBytes = 4096;

    private readonly TempDirectory _dir = new();

    public DaemonProcess Daemon { get; private set; } = null!;

    public DaemonApi Api { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        _dir.Write("policy.yaml", FaultFiles.ThresholdPolicy(signal: "alert:CheckoutDown"));
        var config = _dir.Write("watchdog.yaml", $$$"""
            store: {path: watchdog.db}
            sources:
              alertmanager: {bearer_token: "{{{Token}}}", max_body_bytes: {{{MaxBodyBytes}}}}
            policies: [policy.yaml]
            defaults: {interval: 500ms, dry_run: true}
            targets:
              - {name: checkout, policy: error-rate, alerts: {match: {service: checkout}}, plans: {rollback: [{action: notify-only}]}}
            """);
        Daemon = await DaemonProcess.StartAsync(config);
        Api = new DaemonApi(Daemon);
    }

    /// <summary>The fingerprints of the alerts stored, through the daemon's own list.</summary>
    public async Task<IReadOnlyList<string>> StoredFingerprintsAsync() =>
        [.. (await Api.AlertsAsync(Token)).Select(a => a.GetProperty("fingerprint").GetString()!)];

    public async Task DisposeAsync()
    {
        Api?.Dispose();
        if (Daemon is not null)
        {
            await Daemon.DisposeAsync();
        }
    }

    public void Dispose() => _dir.Dispose();
}
