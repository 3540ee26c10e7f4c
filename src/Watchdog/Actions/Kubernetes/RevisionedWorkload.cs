using Watchdog.Kubernetes;

namespace Watchdog.Actions.Kubernetes;

/// <summary>A workload kind whose history the API keeps as ControllerRevisions, and the names Watchdog uses for it.</summary>
/// <param name="Kind">The object's kind: <c>StatefulSet</c>.</param>
/// <param name="Plural">The REST resource: <c>statefulsets</c>.</param>
/// <param name="Parameter">The lower-case kind: the step parameter naming the object, the prefix of the action and of the incident's resource string.</param>
internal sealed record RevisionedWorkload(string Kind, string Plural, string Parameter)
{
    public static readonly RevisionedWorkload StatefulSet = new("StatefulSet", "statefulsets", "statefulset");

    public static readonly RevisionedWorkload DaemonSet = new("DaemonSet", "daemonsets", "daemonset");

    public string ActionName => Parameter + "-undo";

    public string Path(string ns, string name) => KubernetesPaths.Namespaced("apps", "v1", ns, Plural, name);

    /// <summary>How incidents and known-bad revisions name one object: <c>statefulset/NS/NAME</c>.</summary>
    public string Resource(string ns, string name) => $"{Parameter}/{ns}/{name}";
}
