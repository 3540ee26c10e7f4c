using System.Diagnostics;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using Watchdog.IntegrationTests.Servers;

namespace Watchdog.IntegrationTests.Faults;

/// <summary>
/// The daemon's HTTP API as the fault tests read and drive it (targets, incidents with their runs and timeline,
/// alerts, approvals), following the daemon across restarts, and <see cref="UntilAsync{T}"/>: a bounded wait whose
/// failure carries the daemon's log.
/// </summary>
public sealed class DaemonApi(DaemonProcess daemon) : IDisposable
{
    /// <summary>How long a wait for the daemon to do something may take on a loaded 2-core machine.</summary>
    public static readonly TimeSpan DefaultWait = TimeSpan.FromSeconds(60);

    private readonly HttpClient _http = new() { Timeout = TimeSpan.FromSeconds(15) };

    public DaemonProcess Daemon => daemon;

    public void Dispose() => _http.Dispose();

    /// <summary>GET a path; the status and body, whatever they are.</summary>
    public async Task<(int Status, string Body)> GetAsync(string path, string? token = null, string? accept = null)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, new Uri(daemon.Url, path));
        if (token is not null)
        {
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        }

        if (accept is not null)
        {
            request.Headers.Accept.ParseAdd(accept);
        }

        using var response = await _http.SendAsync(request);
        return ((int)response.StatusCode, await response.Content.ReadAsStringAsync());
    }

    /// <summary>GET a path that must answer 200 with JSON.</summary>
    public async Task<JsonElement> GetJsonAsync(string path, string? token = null)
    {
        var (status, body) = await GetAsync(path, token);
        if (status != 200)
        {
            throw new ShouldAssertException($"GET {path} answered {status}: {body}\n--- daemon log ---\n{daemon.Log}");
        }

        using var document = JsonDocument.Parse(body);
        return document.RootElement.Clone();
    }

    /// <summary>POST a body (JSON unless it is empty); the status and body answered.</summary>
    public async Task<(int Status, string Body)> PostAsync(string path, string body, string? token = null)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, new Uri(daemon.Url, path));
        if (body.Length > 0)
        {
            request.Content = new StringContent(body, Encoding.UTF8, "application/json");
        }

        if (token is not null)
        {
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        }

        using var response = await _http.SendAsync(request);
        return ((int)response.StatusCode, await response.Content.ReadAsStringAsync());
    }

    /// <summary><c>GET /api/v1/targets/{name}</c>: signals, decision, evaluations, open incident.</summary>
    public Task<JsonElement> TargetAsync(string name) => GetJsonAsync($"api/v1/targets/{name}");

    /// <summary>The target's incidents, newest first.</summary>
    public async Task<IReadOnlyList<JsonElement>> IncidentsOfAsync(string target) =>
        [.. (await GetJsonAsync($"api/v1/incidents?target={Uri.EscapeDataString(target)}")).EnumerateArray()];

    /// <summary>The incident report: <c>incident</c>, <c>timeline</c>, <c>runs</c> (with <c>steps</c>), <c>approvals</c>, <c>decisions</c>.</summary>
    public Task<JsonElement> ReportAsync(long incidentId) => GetJsonAsync($"api/v1/incidents/{incidentId}");

    /// <summary>The report of the target's newest incident, or null while it has none.</summary>
    public async Task<JsonElement?> ReportOfAsync(string target) =>
        await IncidentsOfAsync(target) is [var newest, ..] ? await ReportAsync(newest.GetProperty("id").GetInt64()) : null;

    /// <summary>The first run of the target's newest incident that was carried out (not skipped by a rail), once it is <paramref name="statuses"/>.</summary>
    public Task<JsonElement> RunOfAsync(string target, params string[] statuses) =>
        UntilAsync(
            async () => await ReportOfAsync(target) is { } report && ExecutedRuns(report).FirstOrDefault() is { ValueKind: JsonValueKind.Object } run
                && statuses.Contains(run.GetProperty("status").GetString()) ? run : (JsonElement?)null,
            $"target {target} has a run that is {string.Join(" or ", statuses)}");

    /// <summary>
    /// Waits until step <paramref name="index"/> of the target's first carried-out run is journalled as <paramref name="status"/>
    /// (e.g. <c>started</c>: the moment to kill the daemon mid-step); returns the run then.
    /// </summary>
    public Task<JsonElement> StepAsync(string target, int index, string status) =>
        UntilAsync(
            async () => await ReportOfAsync(target) is { } report && ExecutedRuns(report).FirstOrDefault() is { ValueKind: JsonValueKind.Object } run
                && run.GetProperty("steps")[index].GetProperty("status").GetString() == status ? run : (JsonElement?)null,
            $"step {index} of {target}'s run is {status}");

    /// <summary>Runs that were carried out or are under way: not the records of a rail that held one back.</summary>
    public static IEnumerable<JsonElement> ExecutedRuns(JsonElement report) =>
        report.GetProperty("runs").EnumerateArray().Where(run => run.GetProperty("status").GetString() is not ("skipped" or "dry-run"));

    /// <summary>The timeline's summaries of one kind (e.g. <c>step-failed</c>), oldest first.</summary>
    public static IReadOnlyList<string> Timeline(JsonElement report, string kind) =>
        [.. report.GetProperty("timeline").EnumerateArray().Where(e => e.GetProperty("kind").GetString() == kind).Select(e => e.GetProperty("summary").GetString()!)];

    /// <summary>The alerts the daemon holds (1,000 at most), newest first.</summary>
    public async Task<IReadOnlyList<JsonElement>> AlertsAsync(string? token = null) =>
        [.. (await GetJsonAsync("api/v1/alerts?limit=1000", token)).EnumerateArray()];

    /// <summary>
    /// Every alert the daemon holds, newest first, read <paramref name="limit"/> at a time by following each answer's
    /// <c>Link: &lt;...&gt;; rel="next"</c> header as a script would; also the number of pages read.
    /// </summary>
    public async Task<(IReadOnlyList<JsonElement> Alerts, int Pages)> AllAlertsAsync(string? token, int limit)
    {
        var alerts = new List<JsonElement>();
        var pages = 0;
        for (Uri? next = new(daemon.Url, $"api/v1/alerts?limit={limit}"); next is not null && pages < 1000; pages++)
        {
            using var request = new HttpRequestMessage(HttpMethod.Get, next);
            if (token is not null)
            {
                request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
            }

            using var response = await _http.SendAsync(request);
            var body = await response.Content.ReadAsStringAsync();
            if (!response.IsSuccessStatusCode)
            {
                throw new ShouldAssertException($"GET {next} answered {(int)response.StatusCode}: {body}");
            }

            using (var document = JsonDocument.Parse(body))
            {
                alerts.AddRange(document.RootElement.EnumerateArray().Select(a => a.Clone()));
            }

            next = response.Headers.TryGetValues("Link", out var links) ? NextLink(links) is { } link ? new Uri(daemon.Url, link) : null : null;
        }

        return (alerts, pages);
    }

    // The target of the rel="next" entry of an RFC 8288 Link header.
    private static string? NextLink(IEnumerable<string> headers) =>
        headers.SelectMany(h => h.Split(','))
            .Select(entry => entry.Split(';', StringSplitOptions.TrimEntries))
            .Where(parts => parts.Skip(1).Any(p => p.Replace(" ", "", StringComparison.Ordinal) == "rel=\"next\""))
            .Select(parts => parts[0].Trim('<', '>'))
            .FirstOrDefault();

    /// <summary>The signal of that name as the target's last evaluation saw it.</summary>
    public static JsonElement Signal(JsonElement target, string signal) =>
        target.GetProperty("signals").EnumerateArray().Single(s => s.GetProperty("signal").GetString() == signal);

    /// <summary>Waits until the target has been evaluated at least <paramref name="evaluations"/> times; returns its view then.</summary>
    public Task<JsonElement> EvaluatedAsync(string target, int evaluations) =>
        UntilAsync(
            async () => await TargetAsync(target) is var view && view.GetProperty("evaluations").GetInt64() >= evaluations ? view : (JsonElement?)null,
            $"target {target} was evaluated {evaluations} times");

    /// <summary>
    /// Waits until the target has been evaluated at least <paramref name="evaluations"/> times and its last evaluation saw
    /// <paramref name="signal"/> as <paramref name="holds"/> wants (an evaluation can also miss the cycle's deadline on a
    /// loaded machine, so the current value is waited for, not taken as it is); returns the target's view then.
    /// </summary>
    public Task<JsonElement> SignalAsync(string target, string signal, Func<JsonElement, bool> holds, string what, int evaluations = 0)
    {
        ArgumentNullException.ThrowIfNull(holds);
        return UntilAsync(
            async () => await TargetAsync(target) is var view && view.GetProperty("evaluations").GetInt64() >= evaluations && holds(Signal(view, signal)) ? view : (JsonElement?)null,
            $"target {target}'s {signal} is {what} after {evaluations} evaluations");
    }

    /// <summary>
    /// Asks <paramref name="probe"/> every 100 ms until it gives a value, at most <paramref name="timeout"/>
    /// (<see cref="DefaultWait"/>). A daemon that is restarting (connection refused) is asked again.
    /// </summary>
    public async Task<T> UntilAsync<T>(Func<Task<T?>> probe, string what, TimeSpan? timeout = null)
        where T : struct
    {
        ArgumentNullException.ThrowIfNull(probe);
        var limit = timeout ?? DefaultWait;
        var waited = Stopwatch.StartNew();
        string? lastError = null;
        while (waited.Elapsed < limit)
        {
            try
            {
                if (await probe() is { } value)
                {
                    return value;
                }
            }
            catch (HttpRequestException ex)
            {
                lastError = ex.Message;
            }

            await Task.Delay(100);
        }

        throw new ShouldAssertException($"Timed out after {limit.TotalSeconds} s waiting until {what}{(lastError is null ? "" : $" (last error: {lastError})")}.\n--- daemon log ---\n{daemon.Log}");
    }

    /// <summary><see cref="UntilAsync{T}"/> for a condition.</summary>
    public Task UntilAsync(Func<Task<bool>> condition, string what, TimeSpan? timeout = null) =>
        UntilAsync(async () => await condition() ? true : (bool?)null, what, timeout);
}
