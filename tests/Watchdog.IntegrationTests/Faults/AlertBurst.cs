using System.Collections.Concurrent;
using System.Globalization;
using Watchdog.Records;

namespace Watchdog.IntegrationTests.Faults;

/// <summary>
/// A burst of Alertmanager webhook notifications (version 4) to the daemon's intake, each with its own alerts
/// (unique fingerprints), sent by several clients at once. Each notification's answer is recorded: a status, or the
/// error of a call that got none (the daemon was killed). <see cref="RedeliverAsync"/> then does what Alertmanager
/// does with every notification not answered 200: it sends it again until it is.
/// </summary>
/// <param name="name">Marks this burst's alerts (label <c>burst</c>, and their fingerprints).</param>
/// <param name="status"><c>firing</c>, or <c>resolved</c> (then each alert ended five minutes after it started).</param>
internal sealed class AlertBurst(string name, int alertsPerNotification = 2, string status = "firing")
{
    private const string StartsAt = "2026-01-01T00:00:00.000Z";
    private readonly ConcurrentDictionary<int, string> _answers = new();
    private readonly string _endsAt = status == "resolved" ? "2026-01-01T00:05:00.000Z" : "0001-01-01T00:00:00Z";
    private int _next = -1;

    /// <summary>Notifications sent so far, by number: "200", "503", or the error of a call with no answer.</summary>
    public IReadOnlyDictionary<int, string> Answers => _answers;

    public IReadOnlyList<int> Delivered => [.. _answers.Where(a => a.Value == "200").Select(a => a.Key).Order()];

    public IReadOnlyList<int> Undelivered => [.. _answers.Where(a => a.Value != "200").Select(a => a.Key).Order()];

    public int CountAnswered(string answer) => _answers.Values.Count(a => a == answer);

    /// <summary>The fingerprints of notification <paramref name="number"/>'s alerts.</summary>
    public IEnumerable<string> Fingerprints(int number) =>
        Enumerable.Range(0, alertsPerNotification).Select(i => string.Create(CultureInfo.InvariantCulture, $"{name}-{number:D5}-{i}"));

    /// <summary>The webhook body of notification <paramref name="number"/>, as Alertmanager 0.25 sends it.</summary>
    public string Body(int number)
    {
        var alerts = Fingerprints(number).Select(fingerprint => $$"""
            {"status":"{{status}}","labels":{"alertname":"BurstAlert","burst":"{{name}}","seq":"{{fingerprint}}"},"annotations":{"summary":"sent by a fault test"},"startsAt":"{{StartsAt}}","endsAt":"{{_endsAt}}","generatorURL":"http://127.0.0.1/graph","fingerprint":"{{fingerprint}}"}
            """);
        return $$"""
            {"receiver":"watchdog","status":"{{status}}","alerts":[{{string.Join(',', alerts)}}],"groupLabels":{"alertname":"BurstAlert"},"commonLabels":{"alertname":"BurstAlert","burst":"{{name}}"},"commonAnnotations":{},"externalURL":"http://127.0.0.1:9093","version":"4","groupKey":"{}:{alertname=\"BurstAlert\"}","truncatedAlerts":0}
            """ + "\n";
    }

    /// <summary>
    /// Sends notifications 0, 1, 2, ... with <paramref name="clients"/> concurrent senders until <paramref name="count"/>
    /// are sent or <paramref name="stop"/> is cancelled, each sender pausing <paramref name="pause"/> between its calls;
    /// a further call goes on from the first not sent.
    /// </summary>
    public async Task SendAsync(DaemonApi api, int count, int clients, TimeSpan pause, CancellationToken stop)
    {
        ArgumentNullException.ThrowIfNull(api);
        await Task.WhenAll(Enumerable.Range(0, clients).Select(async _ =>
        {
            while (!stop.IsCancellationRequested && Interlocked.Increment(ref _next) is var number && number < count)
            {
                _answers[number] = await PostAsync(api, number);
                if (pause > TimeSpan.Zero)
                {
                    await Task.Delay(pause, CancellationToken.None);
                }
            }
        }));

        // Each sender's last increment went past the count; a further call goes on from the count, skipping none.
        _next = Math.Min(_next, count - 1);
    }

    /// <summary>Sends every notification not answered 200 again until it is (at most <paramref name="attempts"/> times each).</summary>
    public async Task RedeliverAsync(DaemonApi api, int attempts = 20)
    {
        ArgumentNullException.ThrowIfNull(api);
        foreach (var number in Undelivered)
        {
            for (var attempt = 0; attempt < attempts && _answers[number] != "200"; attempt++)
            {
                if (attempt > 0)
                {
                    await Task.Delay(250);
                }

                _answers[number] = await PostAsync(api, number);
            }
        }
    }

    /// <summary>
    /// Reads the store as it is on disk (not through the daemon) and checks that every alert of every notification
    /// answered 200 is there exactly once, and that nothing else of this burst is.
    /// </summary>
    public async Task AssertStoredExactlyOnceAsync(IWatchdogStore store)
    {
        ArgumentNullException.ThrowIfNull(store);
        var stored = (await store.ListAlertsAsync(100_000, CancellationToken.None))
            .Where(a => a.Fingerprint.StartsWith(name + "-", StringComparison.Ordinal))
            .GroupBy(a => a.Fingerprint, StringComparer.Ordinal)
            .ToDictionary(g => g.Key, g => g.Count(), StringComparer.Ordinal);
        var delivered = Delivered.SelectMany(Fingerprints).ToHashSet(StringComparer.Ordinal);
        delivered.Where(f => !stored.ContainsKey(f)).ShouldBeEmpty("answered 200, so stored");
        stored.Where(s => s.Value > 1).Select(s => s.Key).ShouldBeEmpty("stored once, however often sent");
        stored.Keys.Where(f => !delivered.Contains(f)).ShouldBeEmpty("only what was answered 200 (a call killed mid-way is stored only if its redelivery says so)");
    }

    private async Task<string> PostAsync(DaemonApi api, int number)
    {
        try
        {
            var (status, _) = await api.PostAsync("api/v1/alerts", Body(number));
            return status.ToString(CultureInfo.InvariantCulture);
        }
        catch (Exception ex) when (ex is HttpRequestException or TaskCanceledException)
        {
            // No answer at all: the daemon died under the call, or is not back yet.
            return $"no answer: {ex.Message}";
        }
    }
}
