using System.Globalization;
using System.Text.Json.Nodes;
using Watchdog.Configuration;
using Watchdog.Kubernetes;
using Watchdog.Rules;

using Watchdog.Plugins;

namespace Watchdog.Actions.Kubernetes;

/// <summary>
/// <c>rollout-wait</c>: what <c>kubectl rollout status deployment/NAME --timeout=T</c> checks (spec §3.2), in the same
/// order and words, polling the deployment and writing each new status line to the incident's timeline. Succeeds when
/// the rollout is complete; fails at the progress deadline or the timeout. Only reads, so it is idempotent.
/// </summary>
internal sealed class RolloutWaitAction(KubernetesConnection connection) : IRollbackAction, IPlugin
{
    private static readonly TimeSpan DefaultTimeout = TimeSpan.FromSeconds(300);
    private static readonly TimeSpan DefaultPoll = TimeSpan.FromSeconds(2);

    public const string EventReason = "WatchdogRolloutWait";

    public static string PluginName => "rollout-wait";

    public string Name => PluginName;

    public bool IsIdempotent => true;

    public IReadOnlyList<string> Validate(IReadOnlyDictionary<string, string> parameters) => ValidateParameters(parameters);

    public static IReadOnlyList<string> ValidateParameters(IReadOnlyDictionary<string, string> parameters)
    {
        ArgumentNullException.ThrowIfNull(parameters);
        var errors = new List<string>();
        StepParameterChecks.RequireName(parameters, "deployment", "Deployment", errors);
        StepParameterChecks.CheckNamespace(parameters, errors);

        foreach (var key in new[] { "timeout", "poll" })
        {
            if (parameters.TryGetValue(key, out var text) && (!DurationText.TryParse(text, out var duration) || duration <= TimeSpan.Zero))
            {
                errors.Add($"{key}: '{text}' is not a duration above zero");
            }
        }

        return errors;
    }

    public async Task<ActionResult> ExecuteAsync(ActionContext context, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(context);
        var parameters = context.Parameters;
        var name = parameters["deployment"];
        var ns = KubernetesNames.Namespace(parameters);
        var timeout = Duration(parameters, "timeout", DefaultTimeout);
        var poll = Duration(parameters, "poll", DefaultPoll);
        var display = $"deployment/{ns}/{name}";
        // From the step's first start: resumed after a restart, it waits the time left, not the timeout again.
        var now = context.Time.GetUtcNow();
        var deadline = (context.Step.StartedAt ?? now) + timeout;
        if (context.Step.Attempts > 1)
        {
            var left = deadline - now;
            await context.Journal.ProgressAsync(
                left > TimeSpan.Zero
                    ? $"{display}: resumed with {DurationText.Format(TimeSpan.FromSeconds(Math.Ceiling(left.TotalSeconds)))} left of its {DurationText.Format(timeout)} timeout"
                    : $"{display}: resumed after its {DurationText.Format(timeout)} timeout had passed; one last look",
                null,
                cancellationToken);
        }

        string? last = null;
        var target = new ChangeTarget(display, "see the rollout of", EventReason, $"{display}: not found", $"{display}: failed to read");
        return await ObjectChange.RunAsync(connection, context, target, async change =>
        {
            while (true)
            {
                var read = await ObjectSnapshot.GetAsync(change.Client, KubernetesPaths.Deployment(ns, name), "Deployment", "apps/v1", cancellationToken);
                change.Object = read.Typed;
                var (done, failed, message) = Status(read.Json, name);
                if (message != last)
                {
                    await context.Journal.ProgressAsync($"{display}: {message}", null, cancellationToken);
                    last = message;
                }

                if (done)
                {
                    // Waiting changes nothing, but the cluster's users see that Watchdog watched the rollout through.
                    await change.PostEventAsync($"Watchdog saw {display} roll out: {message} (incident {context.Incident.Id})", warning: false, cancellationToken);
                    return ActionResult.Success($"{display}: {message}");
                }

                if (failed)
                {
                    return await change.FailAsync($"{display}: {message}", cancellationToken);
                }

                if (context.Time.GetUtcNow() + poll > deadline)
                {
                    return await change.FailAsync($"{display}: timed out after {DurationText.Format(timeout)} waiting for the rollout ({message})", cancellationToken);
                }

                await Task.Delay(poll, context.Time, cancellationToken);
            }
        }, cancellationToken);
    }

    /// <summary>kubectl's decision, in its order (rollout_status.go).</summary>
    internal static (bool Done, bool Failed, string Message) Status(JsonNode deployment, string name)
    {
        long Number(JsonNode? node) => node?.GetValue<long>() ?? 0;
        var status = deployment["status"];
        if (Number(deployment["metadata"]?["generation"]) > Number(status?["observedGeneration"]))
        {
            return (false, false, "Waiting for deployment spec update to be observed...");
        }

        var conditions = status?["conditions"] as JsonArray ?? [];
        if (conditions.Any(c => c?["type"]?.GetValue<string>() == "Progressing" && c["reason"]?.GetValue<string>() == "ProgressDeadlineExceeded"))
        {
            return (false, true, $"deployment \"{name}\" exceeded its progress deadline");
        }

        var updated = Number(status?["updatedReplicas"]);
        if (deployment["spec"]?["replicas"] is { } wanted && updated < wanted.GetValue<long>())
        {
            return (false, false, Waiting(name, $"{updated} out of {wanted.GetValue<long>()} new replicas have been updated..."));
        }

        var replicas = Number(status?["replicas"]);
        if (replicas > updated)
        {
            return (false, false, Waiting(name, $"{replicas - updated} old replicas are pending termination..."));
        }

        var available = Number(status?["availableReplicas"]);
        return available < updated
            ? (false, false, Waiting(name, $"{available} of {updated} updated replicas are available..."))
            : (true, false, $"deployment \"{name}\" successfully rolled out");
    }

    private static string Waiting(string name, string what) => string.Create(CultureInfo.InvariantCulture, $"Waiting for deployment \"{name}\" rollout to finish: {what}");

    private static TimeSpan Duration(IReadOnlyDictionary<string, string> parameters, string key, TimeSpan fallback) =>
        parameters.TryGetValue(key, out var text) && DurationText.TryParse(text, out var value) ? value : fallback;
}
