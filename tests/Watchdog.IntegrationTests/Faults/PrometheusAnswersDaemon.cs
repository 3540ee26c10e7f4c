using Watchdog.IntegrationTests.Faults.Fakes;
using Watchdog.IntegrationTests.Servers;

namespace Watchdog.IntegrationTests.Faults;

/// <summary>
/// One daemon for the answers a working Prometheus should never give: each target's query (keyed by its name)
/// gets its own bad answer from one <see cref="FakePrometheus"/>. None of them is transient, so the circuit
/// breaker stays closed and the targets do not disturb each other. Target <c>control</c> reads 0.5 and rolls back,
/// which shows that a number reaching these rules would act. Every target's plan is a webhook step to its own path.
/// </summary>
public sealed class PrometheusAnswersDaemon : IAsyncLifetime, IDisposable
{
    /// <summary>Each target and what its query is answered.</summary>
    public static readonly IReadOnlyDictionary<string, PrometheusAnswer> Answers = new Dictionary<string, PrometheusAnswer>(StringComparer.Ordinal)
    {
        ["control"] = PrometheusAnswer.Vector(0.5),
        ["nan"] = PrometheusAnswer.NaN,
        ["empty"] = PrometheusAnswer.EmptyVector,
        ["matrix"] = PrometheusAnswer.Matrix,
        ["string"] = PrometheusAnswer.StringResult,
        ["several"] = PrometheusAnswer.SeveralSeries,
        ["garbage"] = PrometheusAnswer.Garbage,
        ["html"] = PrometheusAnswer.Html(200) with { Body = "<html><body><h1>Log in to continue</h1></body></html>" },
        ["plus-inf"] = PrometheusAnswer.PlusInfinity,
        ["minus-inf"] = PrometheusAnswer.MinusInfinity,
    };

    private readonly TempDirectory _dir = new();

    public FakePrometheus Prometheus { get; private set; } = null!;

    public RecordingReceiver Receiver { get; private set; } = null!;

    public DaemonProcess Daemon { get; private set; } = null!;

    public DaemonApi Api { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        Receiver = await RecordingReceiver.StartAsync();
        Prometheus = await FakePrometheus.StartAsync();
        foreach (var (target, answer) in Answers)
        {
            Prometheus.Answer($"target=\"{target}\"", answer);
        }

        _dir.Write("policy.yaml", FaultFiles.ThresholdPolicy());
        var targets = string.Join('\n', Answers.Keys.Select(target =>
            $"  - {{name: {target}, policy: error-rate, plans: {{rollback: [{{action: webhook, url: \"{Receiver.Endpoint($"step-{target}")}\"}}]}}}}"));
        var config = _dir.Write("watchdog.yaml", $$$"""
            store: {path: watchdog.db}
            sources:
              prometheus: {url: "{{{Prometheus.Url}}}", timeout: 2s}
            signals:
              error_rate: {source: prometheus, query: 'error_rate{target="{{target}}"}'}
            policies: [policy.yaml]
            defaults: {interval: 1s, dry_run: false}
            targets:
            {{{targets}}}
            """);
        Daemon = await DaemonProcess.StartAsync(config);
        Api = new DaemonApi(Daemon);
    }

    public async Task DisposeAsync()
    {
        Api?.Dispose();
        if (Daemon is not null)
        {
            await Daemon.DisposeAsync();
        }

        await Prometheus.DisposeAsync();
        await Receiver.DisposeAsync();
    }

    public void Dispose() => _dir.Dispose();
}
