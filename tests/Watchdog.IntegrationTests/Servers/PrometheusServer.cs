using System.Diagnostics;
using System.Globalization;
using Watchdog.Tests.TestSupport;

namespace Watchdog.IntegrationTests.Servers;

/// <summary>
/// A real Prometheus on 127.0.0.1 scraping a <see cref="MetricsEndpoint"/> every 200 ms, started once per test run by
/// <c>scripts/start-prometheus.sh</c> and stopped by PID when the run ends, pass or fail. Ready only once the first
/// scrape is queryable (~5 s: Prometheus's discovery pushes targets on a hard-coded 5 s tick).
/// </summary>
public sealed class PrometheusServer : IAsyncLifetime
{
    private static readonly TimeSpan ScriptTimeout = TimeSpan.FromSeconds(60);

    private readonly string _directory = Path.Combine(Path.GetTempPath(), $"watchdog-prom-{Guid.NewGuid():N}");
    private MetricsEndpoint? _metrics;
    private int _pid;
    private bool _stopped;

    /// <summary>The rate() window tests should use: ten scrapes, so that a slow scrape or two cannot empty it.</summary>
    public const string RateWindow = "2s";

    public Uri Url { get; private set; } = null!;

    /// <summary>From starting the script to the first scrape being queryable, for the record.</summary>
    public TimeSpan StartTime { get; private set; }

    public async Task InitializeAsync()
    {
        // Fail, do not skip: without Prometheus installed the script exits 1 and says how to install it.
        _metrics = await MetricsEndpoint.StartAsync();
        var started = Stopwatch.StartNew();
        var exports = await RunScriptAsync("start", _metrics.Address);
        var values = exports.Split([' ', '\n'], StringSplitOptions.RemoveEmptyEntries)
            .Where(word => word.Contains('=', StringComparison.Ordinal))
            .Select(word => word.Split('=', 2))
            .ToDictionary(pair => pair[0], pair => pair[1], StringComparer.Ordinal);
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
        try
        {
            using var prometheus = Process.GetProcessById(_pid);
            if (!prometheus.HasExited && prometheus.ProcessName == "prometheus")
            {
                prometheus.Kill();
            }
        }
        catch (ArgumentException)
        {
            // Already gone: the script stopped it.
        }
        catch (InvalidOperationException)
        {
            // Exited between the lookup and the kill.
        }

        try
        {
            Directory.Delete(_directory, recursive: true);
        }
        catch (DirectoryNotFoundException)
        {
            // The script removed it.
        }
        catch (IOException)
        {
            // Best effort: a leftover folder in /tmp must not fail the run.
        }
    }

    private async Task<string> RunScriptAsync(string verb, string scrapeTarget)
    {
        var script = RepositoryPaths.Of("scripts", "start-prometheus.sh");
        var info = new ProcessStartInfo("bash") { RedirectStandardOutput = true, RedirectStandardError = true };
        info.ArgumentList.Add(script);
        info.ArgumentList.Add(verb);
        info.ArgumentList.Add(_directory);
        info.Environment["SCRAPE_TARGET"] = scrapeTarget;
        info.Environment["SCRAPE_INTERVAL"] = "200ms";
        info.Environment["EVAL_INTERVAL"] = "200ms";
        using var process = Process.Start(info) ?? throw new InvalidOperationException($"could not run {script}");
        var output = process.StandardOutput.ReadToEndAsync();
        var errors = process.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(ScriptTimeout);
        try
        {
            await process.WaitForExitAsync(timeout.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException($"{script} {verb} did not finish within {ScriptTimeout.TotalSeconds} s: {await errors}");
        }

        if (process.ExitCode != 0)
        {
            throw new InvalidOperationException($"{script} {verb} exited {process.ExitCode}: {await errors}");
        }

        return await output;
    }
}
