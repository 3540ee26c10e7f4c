using System.Globalization;
using System.Text.Json;
using Watchdog.Records;
using Watchdog.Sandbox.Demo;

namespace Watchdog.Hosting.Demo;

/// <summary>
/// The demo's live timeline: polls the daemon's own HTTP API (<c>/api/v1/targets/checkout</c>, the incident's report),
/// the simulated cluster and the pager, and prints each change as one line with the time since the demo started.
/// </summary>
internal sealed class DemoTimeline(DemoWorld world, HttpClient api, TextWriter output, TimeProvider time)
{
    private static readonly TimeSpan Poll = TimeSpan.FromMilliseconds(200);

    // The fields of a paged message worth a timeline line; the rest (environment, links, timestamps) are in the report.
    private static readonly HashSet<string> PagedFields = new(StringComparer.Ordinal)
    {
        "Previous Version", "Rolling Back To", "Progress", "Current Version", "Status", "Issues", "Actions", "Required Authority", "Escalation Level", "Now Notified",
    };

    private readonly long _started = time.GetTimestamp();
    private readonly HashSet<long> _printedEvents = [];
    private readonly List<PagedMessage> _paged = [];
    private DemoMoment? _last;
    private long? _followed;

    public void Say(string who, string text)
    {
        var seconds = time.GetElapsedTime(_started).TotalSeconds;
        output.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{seconds,6:0.0}s  {who,-8}  {text}"));
        output.Flush();
    }

    /// <summary>Prints what changes until <paramref name="done"/> holds for a moment; false when <paramref name="timeout"/> passed first.</summary>
    public Task<bool> FollowAsync(Func<DemoMoment, bool> done, TimeSpan timeout, CancellationToken cancellationToken) =>
        FollowAsync(moment => Task.FromResult(done(moment)), timeout, cancellationToken);

    /// <summary>As the other, for a condition that asks the daemon itself (the approvals waiting).</summary>
    public async Task<bool> FollowAsync(Func<DemoMoment, Task<bool>> done, TimeSpan timeout, CancellationToken cancellationToken)
    {
        var start = time.GetTimestamp();
        while (time.GetElapsedTime(start) < timeout)
        {
            var moment = await ReadAsync(cancellationToken);
            Print(moment);
            _last = moment;
            if (await done(moment))
            {
                return true;
            }

            await Task.Delay(Poll, time, cancellationToken);
        }

        return false;
    }

    /// <summary>The last moment seen; null before the first poll.</summary>
    public DemoMoment? Last => _last;

    /// <summary>Prints what changes for <paramref name="duration"/>; the last moment seen.</summary>
    public async Task<DemoMoment> WatchForAsync(TimeSpan duration, CancellationToken cancellationToken)
    {
        await FollowAsync(_ => false, duration, cancellationToken);
        return _last!;
    }

    /// <summary>Starts following the next incident the daemon opens, leaving the ones before it alone.</summary>
    public void ForgetIncident()
    {
        _followed = null;
        _last = _last is null ? null : _last with { IncidentId = null, IncidentStatus = null, CloseReason = null, Events = [], RunsStarted = 0 };
    }

    private async Task<DemoMoment> ReadAsync(CancellationToken cancellationToken)
    {
        using var target = JsonDocument.Parse(await api.GetStringAsync(new Uri($"/api/v1/targets/{DemoWorld.Deployment}", UriKind.Relative), cancellationToken));
        var view = target.RootElement;
        string? decision = null;
        if (view.GetProperty("decision") is { ValueKind: JsonValueKind.Object } d)
        {
            var action = d.GetProperty("action").GetString();
            decision = d.GetProperty("rule").GetString() is { } rule ? $"{action} by {rule} ({d.GetProperty("authority").GetString()})" : action;
        }

        if (view.GetProperty("openIncident") is { ValueKind: JsonValueKind.Object } open)
        {
            _followed = open.GetProperty("id").GetInt64();
        }

        var (status, reason, events, started) = _followed is { } id ? await ReadIncidentAsync(id, cancellationToken) : (null, null, [], 0);
        PrintPaged();
        return new DemoMoment(
            world.App.Image, world.Revision, world.Flags.Get(DemoWorld.Flag)?.ToString() ?? "missing", SignalValue(view, "error_rate"), SignalValue(view, "memory_utilization"),
            decision, _followed, status, reason, events, started, [.. _paged]);
    }

    // The incident's report: its status, and its timeline, printed as it grows (what the pager shows is not said twice).
    private async Task<(string? Status, string? Reason, IReadOnlyList<string> Events, int RunsStarted)> ReadIncidentAsync(long id, CancellationToken cancellationToken)
    {
        using var report = JsonDocument.Parse(await api.GetStringAsync(new Uri($"/api/v1/incidents/{id}?format=json", UriKind.Relative), cancellationToken));
        var incident = report.RootElement.GetProperty("incident");
        var events = new List<string>();
        foreach (var entry in report.RootElement.GetProperty("timeline").EnumerateArray())
        {
            var kind = entry.GetProperty("kind").GetString() ?? "";
            events.Add(kind);
            if (_printedEvents.Add(entry.GetProperty("id").GetInt64()) && kind != IncidentEventKind.NotificationSent)
            {
                // Some summaries begin with their kind already ("closed: recovered"); it is not said twice.
                var summary = entry.GetProperty("summary").GetString() ?? "";
                Say("watchdog", summary.StartsWith($"{kind}:", StringComparison.Ordinal) ? $"incident {id} {summary}" : $"incident {id} {kind}: {summary}");
            }
        }

        var started = report.RootElement.GetProperty("runs").EnumerateArray().Count(run => run.GetProperty("startedAt").ValueKind == JsonValueKind.String);
        return (incident.GetProperty("status").GetString(), incident.GetProperty("closeReason").GetString(), events, started);
    }

    // What people were told, as the pager received it: the title and the fields that say what happened.
    private void PrintPaged()
    {
        foreach (var message in world.Pager.Since(_paged.Count))
        {
            _paged.Add(message);
            var fields = message.Fields.Where(f => PagedFields.Contains(f.Key)).Select(f => $"{f.Key}: {f.Value}");
            var about = message.IncidentId is { } incident ? $"incident {incident} " : "";
            Say("pager", $"{about}{message.Title}{string.Concat(fields.Select((f, i) => (i == 0 ? ": " : "; ") + f))}");
        }
    }

    private static double? SignalValue(JsonElement view, string name) =>
        view.GetProperty("signals") is { ValueKind: JsonValueKind.Array } signals
            ? signals.EnumerateArray()
                .Where(s => s.GetProperty("signal").GetString() == name && s.GetProperty("value").ValueKind == JsonValueKind.Number)
                .Select(s => (double?)s.GetProperty("value").GetDouble())
                .LastOrDefault()
            : null;

    private void Print(DemoMoment now)
    {
        if (_last?.Image != now.Image || _last.Revision != now.Revision)
        {
            Say("cluster", $"deployment/checkout runs {now.Image} (revision {now.Revision})");
        }

        if (_last?.Flag != now.Flag)
        {
            Say("flags", $"{DemoWorld.Flag} is {now.Flag}");
        }

        if (now.ErrorRate is { } rate && (_last?.ErrorRate is not { } before || Math.Abs(before - rate) > 0.0001))
        {
            Say("watchdog", string.Create(CultureInfo.InvariantCulture, $"sees error_rate {rate:0.0%}"));
        }

        if (now.Memory is { } memory && (_last?.Memory is not { } was || Math.Abs(was - memory) > 0.005))
        {
            Say("watchdog", string.Create(CultureInfo.InvariantCulture, $"sees memory_utilization {memory:0%}"));
        }

        if (now.Decision is { } decision && _last?.Decision != decision)
        {
            Say("watchdog", $"decides: {decision}");
        }

        if (now.IncidentStatus is { } status && (_last is null || _last.IncidentId != now.IncidentId || _last.IncidentStatus != status))
        {
            Say("watchdog", now.CloseReason is { } reason ? $"incident {now.IncidentId} is {status} ({reason})" : $"incident {now.IncidentId} is {status}");
        }
    }
}
