namespace Watchdog.Actions.Kubernetes;

/// <summary>A workload and its history (ReplicaSets or ControllerRevisions) as <see cref="WorkloadHistoryReader"/> read them.</summary>
/// <param name="Raw">The workload exactly as the server sent it last: what is saved on the incident and patched under its resourceVersion.</param>
/// <param name="Workload"><paramref name="Raw"/>, parsed.</param>
/// <param name="History">The history listed between two reads that agree; empty when <paramref name="Unsettled"/> is set.</param>
/// <param name="Unsettled">Why no consistent reading was had (the step's failure), or null.</param>
internal sealed record HistorySnapshot<TWorkload, THistory>(string Raw, TWorkload Workload, IReadOnlyList<THistory> History, string? Unsettled);
