using Watchdog.Kubernetes;

namespace Watchdog.Actions.Kubernetes;

/// <summary><c>daemonset-undo</c>: <c>kubectl rollout undo daemonset/NAME</c>, see <see cref="ControllerRevisionUndoAction"/>.</summary>
public sealed class DaemonSetUndoAction(KubernetesConnection connection) : ControllerRevisionUndoAction(connection, RevisionedWorkload.DaemonSet)
{
    public const string ActionName = "daemonset-undo";

    public static IReadOnlyList<string> ValidateParameters(IReadOnlyDictionary<string, string> parameters) =>
        ValidateParameters(RevisionedWorkload.DaemonSet, parameters);
}
