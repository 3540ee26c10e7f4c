namespace Watchdog.Configuration;

public sealed record SourcesOptions
{
    /// <summary>Set when the file configures Prometheus; required by any signal with <c>source: prometheus</c>.</summary>
    public PrometheusSourceOptions? Prometheus { get; init; }
}
