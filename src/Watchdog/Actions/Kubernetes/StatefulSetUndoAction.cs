using Watchdog.Kubernetes;

using Watchdog.Plugins;

namespace Watchdog.Actions.Kubernetes;

/// <summary><c>statefulset-undo</c>: <c>kubectl rollout undo statefulset/NAME</c>, see <see cref="ControllerRevisionUndoAction"/>.</summary>
internal sealed class StatefulSetUndoAction(KubernetesConnection connection) : ControllerRevisionUndoAction(connection, RevisionedWorkload.StatefulSet), IPlugin
{
    public static string PluginName => "statefulset-undo";

    public static IReadOnlyList<string> ValidateParameters(IReadOnlyDictionary<string, string> parameters) =>
        ValidateParameters(RevisionedWorkload.StatefulSet, parameters);
}
