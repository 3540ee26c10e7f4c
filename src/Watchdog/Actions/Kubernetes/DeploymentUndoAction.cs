using System.Globalization;
using System.Text.Json;
using Watchdog.Kubernetes;

using Watchdog.Plugins;

namespace Watchdog.Actions.Kubernetes;

/// <summary>
/// <c>deployment-undo</c>: what <c>kubectl rollout undo deployment/NAME [--to-revision=N]</c> does, request for
/// request (GET, LIST ReplicaSets, JSON PATCH), with its errors and its "already matches" skip; plus what Watchdog
/// adds: the deployment read again after the LIST so the decision rests on one state of it and its history
/// (<see cref="WorkloadHistoryReader"/>), the deployment saved on the incident first, known-bad revisions passed over
/// by default (<see cref="PreviousGood"/>; <c>mode: previous</c> keeps kubectl's choice) and refused, a
/// resourceVersion precondition so a concurrent change is a conflict instead of a silent overwrite, and an Event on
/// the deployment.
/// </summary>
internal sealed partial class DeploymentUndoAction(KubernetesConnection connection) : IRollbackAction, IPlugin, IStepPreview
{
    public static string PluginName => "deployment-undo";
    public const string EventReason = "WatchdogRollback";
    public const string LastKnownGoodMode = "last-known-good";
    public const string PreviousMode = "previous";

    public string Name => PluginName;

    // Not idempotent: a second plain undo after a crash would flip back to the revision just left. With to_revision
    // set a repeat would be harmless (it lands on the same template or skips), but the seam asks per action, not per step.
    public bool IsIdempotent => false;

    public IReadOnlyList<string> Validate(IReadOnlyDictionary<string, string> parameters) => ValidateParameters(parameters);

    public static IReadOnlyList<string> ValidateParameters(IReadOnlyDictionary<string, string> parameters)
    {
        ArgumentNullException.ThrowIfNull(parameters);
        var errors = new List<string>();
        StepParameterChecks.RequireName(parameters, "deployment", "Deployment", errors);
        StepParameterChecks.CheckNamespace(parameters, errors);

        if (parameters.TryGetValue("to_revision", out var revision) && (!long.TryParse(revision, NumberStyles.None, CultureInfo.InvariantCulture, out var n) || n < 1))
        {
            errors.Add($"to_revision: '{revision}' is not a revision number (1 or more)");
        }

        if (parameters.TryGetValue("mode", out var mode) && mode is not (PreviousMode or PreviousGood.Mode or LastKnownGoodMode))
        {
            errors.Add($"mode: '{mode}' is not {PreviousGood.Mode}, {PreviousMode} or {LastKnownGoodMode}");
        }
        else if ((mode is PreviousGood.Mode or LastKnownGoodMode) && parameters.ContainsKey("to_revision"))
        {
            errors.Add($"to_revision: not with mode {mode}, which chooses the revision itself");
        }

        StepParameterChecks.RejectUnknown(parameters, ["deployment", "namespace", "to_revision", "mode"], errors);

        return errors;
    }

    public async Task<ActionResult> ExecuteAsync(ActionContext context, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(context);
        var (name, ns, toRevision, mode) = Read(context.Parameters);
        var resource = Resource(ns, name);
        // kubectl's own words before the read ("failed to retrieve Deployment NAME"), and the NotFound the runbook knows.
        var target = new ChangeTarget(resource, Verb: "roll back", EventReason, NotFound: $"deployment {ns}/{name} not found", ReadFailed: $"failed to retrieve Deployment {name}");
        return await ObjectChange.RunAsync(connection, context, target, change => new Undo(change, context, name, ns, resource).RunAsync(toRevision, mode, cancellationToken), cancellationToken);
    }

    // The read half of the undo: the deployment, its history and the revision the step's mode would choose, with no
    // event posted and nothing written (the step reads and chooses again when it runs).
    public async Task<StepPreview?> PreviewAsync(ActionContext context, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(context);
        var (name, ns, toRevision, mode) = Read(context.Parameters);
        var resource = Resource(ns, name);
        var client = connection.Client;
        var deployment = Undo.Parse(await client.GetRawAsync(KubernetesPaths.Deployment(ns, name), cancellationToken));
        var owned = await DeploymentHistory.ListOwnedAsync(client, ns, deployment, cancellationToken);
        var running = WorkloadVersion.Describe(resource, WorkloadVersion.Images(deployment.Spec.Template), DeploymentHistory.Revision(deployment));
        var (chosen, refused, _) = await Undo.ChooseAsync(context.Journal, resource, deployment, owned, toRevision, mode, cancellationToken);
        if (refused is not null)
        {
            return new StepPreview(running, null);
        }

        var (target, revision, _) = DeploymentHistory.Find(name, owned, chosen);
        return new StepPreview(running, target is null ? null : WorkloadVersion.Describe(resource, WorkloadVersion.Images(target.Spec.Template), revision));
    }

    private static (string Name, string Namespace, long ToRevision, string Mode) Read(IReadOnlyDictionary<string, string> parameters)
    {
        var toRevision = parameters.TryGetValue("to_revision", out var t) ? long.Parse(t, CultureInfo.InvariantCulture) : 0;
        var mode = parameters.GetValueOrDefault("mode") ?? (toRevision == 0 ? PreviousGood.Mode : PreviousMode);
        return (parameters["deployment"], KubernetesNames.Namespace(parameters), toRevision, mode);
    }

    /// <summary>How incidents, known-bad and known-good records name a deployment.</summary>
    public static string Resource(string ns, string name) => $"deployment/{ns}/{name}";

    internal static string Describe(string resource, long? revision) =>
        string.Create(CultureInfo.InvariantCulture, $"{resource} revision {revision?.ToString(CultureInfo.InvariantCulture) ?? "unknown"}");

    /// <summary>
    /// An undo's summary when the target's template was found in place after a 409 (<see cref="PatchOutcome.FoundInPlace"/>):
    /// done, as the runbook wants it, yet not known to be Watchdog's doing, so nothing is marked known bad.
    /// </summary>
    internal static string FoundInPlace(string resource, long? from, long to) =>
        string.Create(CultureInfo.InvariantCulture,
            $"{resource} found on revision {to}'s template after a conflict (put there by Watchdog's own earlier attempt whose answer was lost, or by another writer); revision {from?.ToString(CultureInfo.InvariantCulture) ?? "unknown"} not marked known bad");

    internal static string DetailJson(long? from, long to, bool patched, bool eventPosted) =>
        JsonSerializer.Serialize(new Dictionary<string, object?> { ["fromRevision"] = from, ["toRevision"] = to, ["patched"] = patched, ["eventPosted"] = eventPosted });
}
