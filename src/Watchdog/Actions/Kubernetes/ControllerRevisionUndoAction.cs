using System.Globalization;
using Watchdog.Kubernetes;

namespace Watchdog.Actions.Kubernetes;

/// <summary>
/// <c>statefulset-undo</c> and <c>daemonset-undo</c>: what <c>kubectl rollout undo statefulset|daemonset/NAME
/// [--to-revision=N]</c> does, request for request (GET, LIST ControllerRevisions, strategic merge PATCH with the
/// revision's data), with its errors and its byte-compared "already matches" skip; plus what Watchdog adds, as
/// <see cref="DeploymentUndoAction"/> does: the object read again after the LIST (one state of it and its history), the
/// object saved on the incident first, known-bad revisions refused, a resourceVersion precondition, and an Event on the
/// workload.
/// </summary>
internal abstract class ControllerRevisionUndoAction(KubernetesConnection connection, RevisionedWorkload workload) : IRollbackAction, IStepPreview
{
    public const string EventReason = DeploymentUndoAction.EventReason;

    public string Name => workload.ActionName;

    // Not idempotent, as deployment-undo: a second plain undo after a crash would flip back to the revision just left.
    public bool IsIdempotent => false;

    public IReadOnlyList<string> Validate(IReadOnlyDictionary<string, string> parameters) => ValidateParameters(workload, parameters);

    public static IReadOnlyList<string> ValidateParameters(RevisionedWorkload workload, IReadOnlyDictionary<string, string> parameters)
    {
        ArgumentNullException.ThrowIfNull(workload);
        ArgumentNullException.ThrowIfNull(parameters);
        var errors = new List<string>();
        StepParameterChecks.RequireName(parameters, workload.Parameter, workload.Kind, errors);
        StepParameterChecks.CheckNamespace(parameters, errors);

        if (parameters.TryGetValue("to_revision", out var revision) && (!long.TryParse(revision, NumberStyles.None, CultureInfo.InvariantCulture, out var n) || n < 1))
        {
            errors.Add($"to_revision: '{revision}' is not a revision number (1 or more)");
        }

        if (parameters.TryGetValue("mode", out var mode) && mode is not (DeploymentUndoAction.PreviousMode or PreviousGood.Mode))
        {
            errors.Add($"mode: '{mode}' is not {PreviousGood.Mode} or {DeploymentUndoAction.PreviousMode}");
        }
        else if (mode == PreviousGood.Mode && parameters.ContainsKey("to_revision"))
        {
            errors.Add($"to_revision: not with mode {mode}, which chooses the revision itself");
        }

        StepParameterChecks.RejectUnknown(parameters, [workload.Parameter, "namespace", "to_revision", "mode"], errors);

        return errors;
    }

    public async Task<ActionResult> ExecuteAsync(ActionContext context, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(context);
        var (name, ns, toRevision, previousGood) = Read(context.Parameters);
        // kubectl's own words before the read: "failed to retrieve StatefulSet NAME".
        var target = new ChangeTarget(workload.Resource(ns, name), Verb: "roll back", EventReason, NotFound: $"{workload.Parameter} {ns}/{name} not found", ReadFailed: $"failed to retrieve {workload.Kind} {name}");
        return await ObjectChange.RunAsync(connection, context, target, change => new ControllerRevisionUndo(change, context, workload, name, ns).RunAsync(toRevision, previousGood, cancellationToken), cancellationToken);
    }

    public async Task<StepPreview?> PreviewAsync(ActionContext context, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(context);
        var (name, ns, toRevision, previousGood) = Read(context.Parameters);
        var target = new ChangeTarget(workload.Resource(ns, name), Verb: "roll back", EventReason, NotFound: "", ReadFailed: "");
        return await new ControllerRevisionUndo(new ObjectChange(connection.Client, context, target), context, workload, name, ns).PreviewAsync(toRevision, previousGood, cancellationToken);
    }

    private (string Name, string Namespace, long ToRevision, bool PreviousGood) Read(IReadOnlyDictionary<string, string> parameters)
    {
        var toRevision = parameters.TryGetValue("to_revision", out var t) ? long.Parse(t, CultureInfo.InvariantCulture) : 0;
        // previous-good unless told otherwise; a to_revision alone is kubectl's --to-revision.
        var previousGood = parameters.GetValueOrDefault("mode") is { } mode ? mode == PreviousGood.Mode : toRevision == 0;
        return (parameters[workload.Parameter], KubernetesNames.Namespace(parameters), toRevision, previousGood);
    }
}
