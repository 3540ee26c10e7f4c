using Watchdog.Rules;

namespace Watchdog.Signals.Prometheus;

/// <summary>What one instant query answered: its series (a scalar is one series without labels), or why it failed.</summary>
internal sealed record PrometheusQueryResult
{
    public IReadOnlyList<PrometheusSeries> Series { get; init; } = [];

    /// <summary>Why the query failed; null when it succeeded (with any number of series).</summary>
    public string? Error { get; init; }

    /// <summary>Whether asking again may help: a connection error, a timeout, 429 or 5xx; never a bad query.</summary>
    public bool Transient { get; init; }

    public bool Succeeded => Error is null;

    public static PrometheusQueryResult Of(IReadOnlyList<PrometheusSeries> series) => new() { Series = series };

    public static PrometheusQueryResult Failure(string error, bool transient) => new() { Error = error, Transient = transient };

    /// <summary>The value of a query that should return at most one series: several are an error naming their labels.</summary>
    public SignalValue SingleValue() => Error is { } error
        ? SignalValue.Error(error)
        : Series.Count switch
        {
            0 => SignalValue.NoData,
            1 => SignalValue.Of(Series[0].Value),
            _ => SignalValue.Error($"expected one series, got {Series.Count}: {PrometheusSeries.DescribeAll(Series)}"),
        };
}
