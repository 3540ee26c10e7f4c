using System.Globalization;
using System.Text.Json;
using Watchdog.Sandbox.Demo;

namespace Watchdog.Hosting.Demo;

/// <summary>
/// The demo's live timeline: polls the daemon's own HTTP API (<c>/api/v1/targets/checkout</c>, the incident's report)
/// and the simulated cluster, and prints each change as one line with the time since the demo started.
/// </summary>
internal sealed class DemoTimeline(DemoWorld world, HttpClient api, TextWriter output, TimeProvider time)
{
    private static readonly TimeSpan Poll = TimeSpan.FromMilliseconds(200);
    private readonly long _started = time.GetTimestamp();
    private readonly HashSet<long> _printedEvents = [];
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
        _last = _last is null ? null : _last with { IncidentId = null, IncidentStatus = null, CloseReason = null };
    }

    private async Task<DemoMoment> ReadAsync(CancellationToken cancellationToken)
    {
        using var target = JsonDocument.Parse(await api.GetStringAsync(new Uri($"/api/v1/targets/{DemoWorld.Deployment}", UriKind.Relative), cancellationToken));
        var view = target.RootElement;
        double? errorRate = null;
        if (view.GetProperty("signals") is { ValueKind: JsonValueKind.Array } signals)
        {
            foreach (var signal in signals.EnumerateArray())
            {
                if (signal.GetProperty("signal").GetString() == "error_rate" && signal.GetProperty("value") is { ValueKind: JsonValueKind.Number } value)
                {
                    errorRate = value.GetDouble();
                }
            }
        }

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

        string? status = null;
        string? reason = null;
        if (_followed is { } id)
        {
            using var report = JsonDocument.Parse(await api.GetStringAsync(new Uri($"/api/v1/incidents/{id}?format=json", UriKind.Relative), cancellationToken));
            var incident = report.RootElement.GetProperty("incident");
            status = incident.GetProperty("status").GetString();
            reason = incident.GetProperty("closeReason").GetString();
            foreach (var entry in report.RootElement.GetProperty("timeline").EnumerateArray())
            {
                if (_printedEvents.Add(entry.GetProperty("id").GetInt64()))
                {
                    // Some summaries begin with their kind already ("closed: recovered"); it is not said twice.
                    var kind = entry.GetProperty("kind").GetString();
                    var summary = entry.GetProperty("summary").GetString() ?? "";
                    Say("watchdog", summary.StartsWith($"{kind}:", StringComparison.Ordinal) ? $"incident {id} {summary}" : $"incident {id} {kind}: {summary}");
                }
            }
        }

        return new DemoMoment(world.App.Image, world.Revision, world.Flags.Get(DemoWorld.Flag)?.ToString() ?? "missing", errorRate, decision, _followed, status, reason);
    }

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
