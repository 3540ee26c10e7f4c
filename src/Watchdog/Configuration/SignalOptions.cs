namespace Watchdog.Configuration;

/// <summary>How one signal name is measured for a target.</summary>
internal sealed record SignalOptions
{
    public string Name { get; init; } = "";

    /// <summary>The registered signal source kind that measures it (<c>prometheus</c> unless written otherwise).</summary>
    public string Source { get; init; } = PrometheusSourceOptions.SignalSource;

    /// <summary>The PromQL template for a Prometheus signal; <c>{{name}}</c> is replaced by the target's variable.</summary>
    public string? Query { get; init; }

    /// <summary>Variables that distinguish targets in one batched query (e.g. <c>namespace</c>, <c>deployment</c>).</summary>
    public IReadOnlyList<string> GroupBy { get; init; } = [];

    /// <summary>
    /// One query for every target at once, whose series carry the <see cref="GroupBy"/> labels (e.g.
    /// <c>sum by (namespace, deployment) (...)</c>); each target takes the series whose labels equal its variables.
    /// Without it, each target's <see cref="Query"/> is sent on its own.
    /// </summary>
    public string? GroupQuery { get; init; }
}
