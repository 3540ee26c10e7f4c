using Watchdog.IntegrationTests.Servers;
using Xunit.Abstractions;

namespace Watchdog.IntegrationTests.Faults;

/// <summary>
/// An Alertmanager intake with no credentials on an address beyond loopback takes alerts from anyone who reaches
/// it, whatever <c>http.tokens</c> says (the API tokens do not guard the webhook): the daemon says so once at start.
/// </summary>
[Trait("Suite", "Faults")]
public sealed class OpenIntakeWarningTests(ITestOutputHelper output) : IDisposable
{
    private const string Warning = "takes alerts from anyone who reaches it";
    private readonly TempDirectory _dir = new();

    public void Dispose() => _dir.Dispose();

    [Fact]
    public async Task OpenIntakeOnANonLoopbackAddress_WarnsAtStart()
    {
        // API tokens set, so the warning about an open API stays quiet and only the intake's is left to say.
        var open = Config("alertmanager: {max_body_bytes: 65536}");
        await using (var daemon = await DaemonProcess.StartAsync(open, output, listenAddress: "0.0.0.0"))
        {
            var lines = daemon.Log.Split('\n').Where(line => line.Contains(Warning, StringComparison.Ordinal)).ToList();
            lines.ShouldHaveSingleItem(daemon.Log).ShouldContain("sources.alertmanager");
            lines[0].ShouldContain($"http://0.0.0.0:{daemon.Port}");
        }

        await using (var loopback = await DaemonProcess.StartAsync(open, output))
        {
            loopback.Log.ShouldNotContain(Warning, Case.Sensitive, "on loopback only this machine can send alerts");
        }

        var guarded = Config("alertmanager: {bearer_token: am-token-5d1c}");
        await using var withToken = await DaemonProcess.StartAsync(guarded, output, listenAddress: "0.0.0.0");
        withToken.Log.ShouldNotContain(Warning, Case.Sensitive, "a bearer token guards the intake");
    }

    private string Config(string intake)
    {
        _dir.Write("policy.yaml", FaultFiles.ThresholdPolicy(signal: "alert:NeverSent"));
        return _dir.Write("watchdog.yaml", $$$"""
            store: {path: watchdog.db}
            http:
              tokens: [{name: reader, role: on-call, token: "reader-token-8e2a41"}]
            sources:
              {{{intake}}}
            policies: [policy.yaml]
            defaults: {interval: 500ms, dry_run: true}
            targets:
              - {name: web, policy: error-rate, alerts: {match: {service: web}}, plans: {rollback: [{action: notify-only}]}}
            """);
    }
}
