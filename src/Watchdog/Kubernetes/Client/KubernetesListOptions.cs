namespace Watchdog.Kubernetes;

internal sealed record KubernetesListOptions
{
    public string? LabelSelector { get; init; }

    public string? FieldSelector { get; init; }

    public int? Limit { get; init; }

    public string? Continue { get; init; }
}
