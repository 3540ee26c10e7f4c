using System.Diagnostics;

namespace Watchdog.Benchmarks;

/// <summary>
/// A throwaway Prometheus started by <c>scripts/start-prometheus.sh</c> (127.0.0.1, its own folder, waits for the first
/// scrape of the target), stopped by the same script (by PID) on dispose.
/// </summary>
internal sealed class PrometheusServer : IAsyncDisposable
{
    private readonly string _script;
    private readonly string _dir;

    private PrometheusServer(string script, string dir, Uri url)
    {
        _script = script;
        _dir = dir;
        Url = url;
    }

    public Uri Url { get; }

    public static async Task<PrometheusServer> StartAsync(string scrapeTarget, string scrapeInterval, CancellationToken cancellationToken)
    {
        var script = Path.Combine(RepositoryRoot(), "scripts", "start-prometheus.sh");
        var dir = Path.Combine(Path.GetTempPath(), $"watchdog-bench-prometheus-{Environment.ProcessId}");
        var start = new ProcessStartInfo(script) { ArgumentList = { "start", dir }, RedirectStandardOutput = true };
        start.Environment["SCRAPE_TARGET"] = scrapeTarget;
        start.Environment["SCRAPE_INTERVAL"] = scrapeInterval;
        start.Environment["EVAL_INTERVAL"] = scrapeInterval;
        using var process = Process.Start(start) ?? throw new InvalidOperationException($"could not run {script}");
        var output = await process.StandardOutput.ReadToEndAsync(cancellationToken);
        await process.WaitForExitAsync(cancellationToken);
        // The one stdout line: export PROM_URL=http://127.0.0.1:PORT PROM_PID=... PROM_DIR=...
        var url = output.Split(' ', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
            .FirstOrDefault(word => word.StartsWith("PROM_URL=", StringComparison.Ordinal))?["PROM_URL=".Length..];
        return process.ExitCode == 0 && url is not null
            ? new PrometheusServer(script, dir, new Uri(url))
            : throw new InvalidOperationException($"{script} start failed (exit {process.ExitCode}): {output}");
    }

    public async ValueTask DisposeAsync()
    {
        using var process = Process.Start(new ProcessStartInfo(_script) { ArgumentList = { "stop", _dir } });
        if (process is not null)
        {
            await process.WaitForExitAsync(CancellationToken.None);
        }
    }

    private static string RepositoryRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "Watchdog.sln")))
            {
                return dir.FullName;
            }
        }

        throw new InvalidOperationException("Watchdog.sln not found above " + AppContext.BaseDirectory);
    }
}
