using Watchdog.Kubernetes;

using Watchdog.Plugins;

namespace Watchdog.Actions.Kubernetes;

/// <summary><c>daemonset-undo</c>: <c>kubectl rollout undo daemonset/NAME</c>, see <see cref="ControllerRevisionUndoAction"/>.</summary>
internal sealed class DaemonSetUndoAction(KubernetesConnection connection) : ControllerRevisionUndoAction(connection, RevisionedWorkload.DaemonSet), IPlugin
{
    public static string PluginName => "daemonset-undo";

    public static IReadOnlyList<string> ValidateParameters(IReadOnlyDictionary<string, string> parameters) =>
        ValidateParameters(RevisionedWorkload.DaemonSet, parameters);
}
