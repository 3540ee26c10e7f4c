using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Watchdog.Configuration;
using Watchdog.Http;
using Watchdog.Incidents;
using Watchdog.Records;
using Watchdog.Rules;

namespace Watchdog.Hosting;

/// <summary>
/// <c>GET /api/v1/targets</c> and <c>/api/v1/targets/{name}</c>: each target's last signal values (no data and
/// errors marked), its decision with the explanation, its open incident, and whether it is settling after an action
/// (until when; null when not).
/// </summary>
internal static class TargetEndpoints
{
    private static readonly JsonSerializerOptions Json = SignalNumberJsonConverter.With(new(JsonSerializerDefaults.Web) { WriteIndented = true, Encoder = ApiJson.Encoder });

    public static IEndpointRouteBuilder MapTargetEndpoints(this IEndpointRouteBuilder endpoints)
    {
        endpoints.MapGet("/api/v1/targets", async (WatchCycle cycle, WatchdogOptions options, IWatchdogStore store, TimeProvider time, HttpContext http) =>
        {
            var views = new List<object>();
            foreach (var target in options.Targets)
            {
                views.Add(await ViewAsync(target, cycle, store, time, http.RequestAborted));
            }

            return Results.Json(views, Json);
        });
        endpoints.MapGet("/api/v1/targets/{name}", async (string name, WatchCycle cycle, WatchdogOptions options, IWatchdogStore store, TimeProvider time, HttpContext http) =>
            options.Targets.FirstOrDefault(t => t.Name == name) is { } target
                ? Results.Json(await ViewAsync(target, cycle, store, time, http.RequestAborted), Json)
                : Results.Json(new { error = $"no target named '{name}'" }, Json, statusCode: StatusCodes.Status404NotFound));
        return endpoints;
    }

    private static async Task<object> ViewAsync(TargetOptions target, WatchCycle cycle, IWatchdogStore store, TimeProvider time, CancellationToken cancellationToken)
    {
        var status = cycle.StatusOf(target.Name);
        var incident = await store.GetOpenIncidentAsync(target.Name, cancellationToken);
        var now = time.GetUtcNow();
        var settlingUntil = incident is not null && cycle.PolicyOf(target.Name) is { } policy && Settling.Until(incident, target, policy) is { } until && now < until
            ? until
            : (DateTimeOffset?)null;
        return new
        {
            name = target.Name,
            policy = target.Policy,
            interval = DurationText.Format(target.Interval),
            dryRun = target.DryRun,
            lastEvaluatedAt = status?.LastEvaluatedAt,
            nextDueAt = status?.NextDueAt,
            decision = status?.LastDecision is { } d
                ? new
                {
                    action = d.Action.ToName(),
                    authority = d.Authority.ToName(),
                    inconclusive = d.IsInconclusive,
                    rule = d.RuleId,
                    severity = d.Severity,
                    heldBackByCooldown = d.SuppressedByCooldown,
                    explanation = status.Explanation,
                }
                : null,
            signals = status?.Signals.Select(s => new
            {
                signal = s.Signal,
                state = s.State switch { SignalState.Number => "value", SignalState.Error => "error", SignalState.NotWatched => "not-watched", _ => "no-data" },
                value = s.Value,
                text = s.Value is { } number ? SignalValue.FormatNumber(number) : null,
                error = s.Error,
                note = s.Note,
            }),
            evaluations = status?.Evaluations ?? 0,
            failures = status?.Failures ?? 0,
            lastFailure = status?.LastFailure,
            settling = settlingUntil is { } end ? new { until = end, left = DurationText.Human(end - now) } : null,
            openIncident = incident is null ? null : new { id = incident.Id, detectedAt = incident.DetectedAt, rule = incident.TriggerRule, summary = incident.TriggerSummary },
        };
    }
}
