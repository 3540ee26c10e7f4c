namespace Watchdog.Kubernetes;

internal enum KubernetesPatchType
{
    /// <summary>RFC 6902, <c>application/json-patch+json</c>: what kubectl's rollout undo sends.</summary>
    Json,

    /// <summary>RFC 7386, <c>application/merge-patch+json</c>: arrays replaced wholesale.</summary>
    Merge,

    /// <summary><c>application/strategic-merge-patch+json</c>: built-in kinds only; custom resources answer 415.</summary>
    StrategicMerge,
}
