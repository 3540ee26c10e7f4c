using System.Diagnostics;
using System.Globalization;

namespace Watchdog.IntegrationTests.Servers;

/// <summary>
/// A real Prometheus on 127.0.0.1 scraping a <see cref="MetricsEndpoint"/> every 200 ms, started once per test run by
/// <c>scripts/start-prometheus.sh</c> and stopped by PID when the run ends, pass or fail. Ready only once the first
/// scrape is queryable (~5 s: Prometheus's discovery pushes targets on a hard-coded 5 s tick). As a collection fixture
/// it only scrapes; one started by <see cref="StartAsync"/> may also evaluate a rule file and send its alerts to an
/// Alertmanager, and be paused (<see cref="Pause"/>).
/// </summary>
public sealed class PrometheusServer : IAsyncLifetime
{
    private static readonly TimeSpan ScriptTimeout = TimeSpan.FromSeconds(60);

    private readonly string _directory = Path.Combine(Path.GetTempPath(), $"watchdog-prom-{Guid.NewGuid():N}");
    private MetricsEndpoint? _metrics;
    private string? _ruleFile;
    private Uri? _alertmanager;
    private int _pid;
    private bool _stopped;
    private bool _paused;

    /// <summary>The rate() window tests should use: ten scrapes, so that a slow scrape or two cannot empty it.</summary>
    public const string RateWindow = "2s";

    public Uri Url { get; private set; } = null!;

    /// <summary>The application Prometheus scrapes; a test serves gauges of its own there.</summary>
    public MetricsEndpoint Metrics => _metrics ?? throw new InvalidOperationException("Prometheus has not been started");

    /// <summary>From starting the script to the first scrape being queryable, for the record.</summary>
    public TimeSpan StartTime { get; private set; }

    /// <summary>
    /// A Prometheus of the caller's own, which the caller disposes: it scrapes its own <see cref="Metrics"/>, evaluates
    /// <paramref name="ruleFile"/> (a Prometheus rule file) every 200 ms when given, and sends the rules' alerts to
    /// <paramref name="alertmanager"/> when given.
    /// </summary>
    public static Task<PrometheusServer> StartAsync(string? ruleFile = null, Uri? alertmanager = null) =>
        ServerScript.StartedAsync(new PrometheusServer { _ruleFile = ruleFile, _alertmanager = alertmanager });

    /// <summary>SIGSTOP: Prometheus stops answering (connections are accepted, nothing comes back) until <see cref="Resume"/>.</summary>
    public void Pause()
    {
        _paused = Signal("-STOP") ? true : throw new InvalidOperationException($"Prometheus (PID {_pid}) could not be paused");
    }

    /// <summary>SIGCONT: Prometheus answers, scrapes and evaluates again.</summary>
    public void Resume()
    {
        _paused = Signal("-CONT") ? false : throw new InvalidOperationException($"Prometheus (PID {_pid}) could not be resumed");
    }

    public async Task InitializeAsync()
    {
        // Fail, do not skip: without Prometheus installed the script exits 1 and says how to install it.
        _metrics = await MetricsEndpoint.StartAsync();
        var started = Stopwatch.StartNew();
        var exports = await RunScriptAsync("start", _metrics.Address);
        var values = ServerScript.Exports(exports);
        Url = new Uri(values["PROM_URL"]);
        _pid = int.Parse(values["PROM_PID"], CultureInfo.InvariantCulture);
        await WaitForRatesAsync();
        StartTime = started.Elapsed;

        // If the test host is torn down without disposing fixtures, still do not leave a server behind.
        AppDomain.CurrentDomain.ProcessExit += (_, _) => KillPrometheus();
    }

    /// <summary>
    /// The script waits for the first scrape; a rate() is only whole once its window is full of samples (until then
    /// Prometheus extrapolates from the few it has), so wait until the total rate is within 10 % of what the endpoint serves.
    /// </summary>
    private async Task WaitForRatesAsync()
    {
        var expected = MetricsEndpoint.Rates.Sum(rate => rate.PerSecond);
        using var http = new HttpClient();
        var query = new Uri(Url, "api/v1/query?query=" + Uri.EscapeDataString($"sum(rate(http_requests_total[{RateWindow}])) > {expected * 0.9}"));
        var deadline = Stopwatch.StartNew();
        while (deadline.Elapsed < TimeSpan.FromSeconds(15))
        {
            if ((await http.GetStringAsync(query)).Contains("\"value\"", StringComparison.Ordinal))
            {
                return;
            }

            await Task.Delay(100);
        }

        throw new TimeoutException($"Prometheus at {Url} computed no full rate of the scrape target within 15 s");
    }

    public async Task DisposeAsync()
    {
        try
        {
            if (_paused)
            {
                Resume(); // a paused Prometheus would not act on the script's SIGTERM
            }

            await RunScriptAsync("stop", "");
        }
        finally
        {
            KillPrometheus();
            if (_metrics is not null)
            {
                await _metrics.DisposeAsync();
            }
        }
    }

    private void KillPrometheus()
    {
        if (_stopped || _pid == 0)
        {
            return;
        }

        _stopped = true;
        ServerScript.KillAndRemove(_pid, "prometheus", _directory);
    }

    // True when the signal was delivered (to this PID only: the script started Prometheus itself, no wrapper).
    private bool Signal(string signal)
    {
        if (_pid == 0 || _stopped)
        {
            return false;
        }

        using var kill = Process.Start("kill", [signal, _pid.ToString(CultureInfo.InvariantCulture)]);
        kill.WaitForExit();
        return kill.ExitCode == 0;
    }

    private Task<string> RunScriptAsync(string verb, string scrapeTarget)
    {
        var environment = new Dictionary<string, string> { ["SCRAPE_TARGET"] = scrapeTarget, ["SCRAPE_INTERVAL"] = "200ms", ["EVAL_INTERVAL"] = "200ms" };
        if (_ruleFile is not null)
        {
            environment["RULE_FILE"] = _ruleFile;
        }

        if (_alertmanager is not null)
        {
            environment["ALERTMANAGER_URL"] = _alertmanager.ToString();
        }

        return ServerScript.RunAsync("start-prometheus.sh", [verb, _directory], environment, ScriptTimeout);
    }
}
