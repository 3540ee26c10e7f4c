using Watchdog.IntegrationTests.Faults.Fakes;
using Watchdog.IntegrationTests.Servers;

namespace Watchdog.IntegrationTests.Faults;

/// <summary>
/// One daemon whose two targets both read 0.5 and want a rollback that needs a team lead: <c>held</c>, whose
/// approval the tests only try to take without the authority, and <c>approved</c>, which a team lead approves.
/// Two callers: alice (on-call, a token in the file) and lena (team-lead, a token file).
/// </summary>
public sealed class ApprovalsDaemon : IAsyncLifetime, IDisposable
{
    public const string OnCallToken = "alice-on-call-7f3c9a1e5b";
    public const string TeamLeadToken = "lena-team-lead-2d8e6b4f0a";

    private readonly TempDirectory _dir = new();

    public FakePrometheus Prometheus { get; private set; } = null!;

    public RecordingReceiver Receiver { get; private set; } = null!;

    public DaemonProcess Daemon { get; private set; } = null!;

    public DaemonApi Api { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        Prometheus = await FakePrometheus.StartAsync();
        Prometheus.Default = PrometheusAnswer.Vector(0.5);
        Receiver = await RecordingReceiver.StartAsync();
        _dir.Write("lena.token", TeamLeadToken + "\n");
        _dir.Write("policy.yaml", FaultFiles.ThresholdPolicy(authority: "team-lead"));
        var config = _dir.Write("watchdog.yaml", $$$"""
            http:
              tokens:
                - {name: alice, role: on-call, token: "{{{OnCallToken}}}"}
                - {name: lena, role: team-lead, token_file: lena.token}
            store: {path: watchdog.db}
            sources:
              prometheus: {url: "{{{Prometheus.Url}}}", timeout: 2s}
            signals:
              error_rate: {source: prometheus, query: 'error_rate{target="{{target}}"}'}
            policies: [policy.yaml]
            defaults: {interval: 500ms, dry_run: false}
            targets:
              - {name: held, policy: error-rate, plans: {rollback: [{action: webhook, url: "{{{Receiver.Endpoint("step-held")}}}"}]}}
              - {name: approved, policy: error-rate, plans: {rollback: [{action: webhook, url: "{{{Receiver.Endpoint("step-approved")}}}"}]}}
            """);
        Daemon = await DaemonProcess.StartAsync(config);
        Api = new DaemonApi(Daemon);
    }

    /// <summary>The id of the target's approval request, once it is recorded.</summary>
    public Task<long> ApprovalIdAsync(string target) =>
        Api.UntilAsync(
            async () => (await Api.GetJsonAsync("api/v1/approvals", TeamLeadToken)).EnumerateArray()
                .Where(a => a.GetProperty("target").GetString() == target)
                .Select(a => (long?)a.GetProperty("id").GetInt64())
                .FirstOrDefault(),
            $"an approval was requested for {target}");

    public async Task DisposeAsync()
    {
        Api?.Dispose();
        if (Daemon is not null)
        {
            await Daemon.DisposeAsync();
        }

        await Receiver.DisposeAsync();
        await Prometheus.DisposeAsync();
    }

    public void Dispose() => _dir.Dispose();
}
