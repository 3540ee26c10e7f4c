namespace Watchdog.Kubernetes;

/// <summary>The API server answered with a non-2xx <c>Status</c>. Branch on <see cref="Reason"/> or <see cref="Code"/>.</summary>
internal sealed class KubernetesStatusException(KubernetesStatus status)
    : Exception(status?.Message is { Length: > 0 } m ? m : $"the server answered {status?.Code}")
{
    public KubernetesStatus Status { get; } = status ?? throw new ArgumentNullException(nameof(status));

    public int Code => Status.Code;

    public string Reason => Status.Reason ?? "";

    /// <summary>Worth another try: throttled (429) or a server-side failure (5xx).</summary>
    public bool IsTransient => Code == 429 || Code >= 500;
}
