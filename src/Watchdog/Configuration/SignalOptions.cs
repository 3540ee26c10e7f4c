namespace Watchdog.Configuration;

/// <summary>How one signal name is measured for a target.</summary>
public sealed record SignalOptions
{
    public string Name { get; init; } = "";

    public SignalSourceKind Source { get; init; }

    /// <summary>The PromQL template for a Prometheus signal; <c>{{name}}</c> is replaced by the target's variable.</summary>
    public string? Query { get; init; }

    /// <summary>Variables that distinguish targets in one batched query (e.g. <c>namespace</c>, <c>deployment</c>).</summary>
    public IReadOnlyList<string> GroupBy { get; init; } = [];
}
