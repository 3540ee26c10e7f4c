namespace Watchdog.Configuration;

internal sealed record SourcesOptions
{
    /// <summary>Set when the file configures Prometheus; required by any signal with <c>source: prometheus</c>.</summary>
    public PrometheusSourceOptions? Prometheus { get; init; }

    /// <summary>How Alertmanager's webhook calls into <c>POST /api/v1/alerts</c> are checked.</summary>
    public AlertmanagerIntakeOptions Alertmanager { get; init; } = new();

    /// <summary>How long one cycle waits for a source before its values count as errors (capped by the target's interval).</summary>
    public TimeSpan Deadline { get; init; } = TimeSpan.FromSeconds(10);
}
