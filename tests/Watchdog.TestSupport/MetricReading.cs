namespace Watchdog.TestSupport;

/// <summary>One measurement seen by <see cref="MetricReadings"/>, with its labels.</summary>
internal sealed record MetricReading(string Instrument, double Value, IReadOnlyDictionary<string, string?> Labels)
{
    public string? this[string label] => Labels.GetValueOrDefault(label);
}
