using System.Globalization;
using System.Text.Json;
using Watchdog.IntegrationTests.Servers;

namespace Watchdog.IntegrationTests.Telemetry;

/// <summary>
/// A real Prometheus (scripts/start-prometheus.sh, 127.0.0.1) scraping a running daemon's <c>/metrics</c> every
/// second; started once its first scrape is queryable (<c>up == 1</c>), stopped by PID when disposed.
/// </summary>
public sealed class DaemonScraper : IAsyncDisposable
{
    private static readonly TimeSpan ScriptTimeout = TimeSpan.FromSeconds(60);
    private readonly string _directory = Path.Combine(Path.GetTempPath(), $"watchdog-prom-scrape-{Guid.NewGuid():N}");
    private readonly HttpClient _http = new() { Timeout = TimeSpan.FromSeconds(10) };
    private int _pid;

    private DaemonScraper()
    {
    }

    public Uri Url { get; private set; } = null!;

    public static async Task<DaemonScraper> StartAsync(DaemonProcess daemon)
    {
        var scraper = new DaemonScraper();
        try
        {
            var exports = ServerScript.Exports(await scraper.RunScriptAsync("start", $"127.0.0.1:{daemon.Port}"));
            scraper.Url = new Uri(exports["PROM_URL"]);
            scraper._pid = int.Parse(exports["PROM_PID"], CultureInfo.InvariantCulture);
            return scraper;
        }
        catch
        {
            await scraper.DisposeAsync();
            throw;
        }
    }

    /// <summary>An instant query: the API's whole answer (<c>status</c>, <c>data</c> or <c>error</c>), whatever the HTTP status.</summary>
    public async Task<JsonElement> QueryAsync(string promql)
    {
        using var response = await _http.GetAsync(new Uri(Url, "api/v1/query?query=" + Uri.EscapeDataString(promql)));
        using var document = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        return document.RootElement.Clone();
    }

    public async ValueTask DisposeAsync()
    {
        try
        {
            await RunScriptAsync("stop", "");
        }
        finally
        {
            if (_pid != 0)
            {
                ServerScript.KillAndRemove(_pid, "prometheus", _directory);
            }

            _http.Dispose();
        }
    }

    // Scraped every second, not every 200 ms: a scrape of the whole /metrics on a loaded machine may take longer than 200 ms.
    private Task<string> RunScriptAsync(string verb, string scrapeTarget) =>
        ServerScript.RunAsync(
            "start-prometheus.sh",
            [verb, _directory],
            new Dictionary<string, string> { ["SCRAPE_TARGET"] = scrapeTarget, ["SCRAPE_INTERVAL"] = "1s", ["EVAL_INTERVAL"] = "1s" },
            ScriptTimeout);
}
