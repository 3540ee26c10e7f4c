using System.Collections.Concurrent;
using System.Diagnostics.Metrics;
using Microsoft.Extensions.DependencyInjection;

namespace Watchdog.TestSupport;

/// <summary>
/// Every measurement of the meters one <see cref="IMeterFactory"/> created (so tests running side by side do not see
/// each other's), read through a <see cref="MeterListener"/>; <see cref="Observe"/> asks the observable gauges now.
/// </summary>
internal sealed class MetricReadings : IDisposable
{
    private readonly MeterListener _listener = new();
    private readonly ConcurrentQueue<MetricReading> _readings = new();
    private readonly ServiceProvider _services;

    public MetricReadings()
    {
        _services = new ServiceCollection().AddMetrics().BuildServiceProvider();
        Factory = _services.GetRequiredService<IMeterFactory>();
        _listener.InstrumentPublished = (instrument, listener) =>
        {
            if (ReferenceEquals(instrument.Meter.Scope, Factory))
            {
                listener.EnableMeasurementEvents(instrument);
            }
        };
        _listener.SetMeasurementEventCallback<long>((instrument, value, tags, _) => Add(instrument, value, tags));
        _listener.SetMeasurementEventCallback<int>((instrument, value, tags, _) => Add(instrument, value, tags));
        _listener.SetMeasurementEventCallback<double>((instrument, value, tags, _) => Add(instrument, value, tags));
        _listener.Start();
    }

    public IMeterFactory Factory { get; }

    /// <summary>The measurements of one instrument, e.g. <c>watchdog.evaluations</c>, in the order they were made.</summary>
    public IReadOnlyList<MetricReading> Of(string instrument) => [.. _readings.Where(r => r.Instrument == instrument)];

    /// <summary>What the observable instruments report now (earlier observations are forgotten).</summary>
    public IReadOnlyList<MetricReading> Observe(string instrument)
    {
        var before = _readings.Count;
        _listener.RecordObservableInstruments();
        return [.. _readings.Skip(before).Where(r => r.Instrument == instrument)];
    }

    public void Dispose()
    {
        _listener.Dispose();
        _services.Dispose();
    }

    private void Add(Instrument instrument, double value, ReadOnlySpan<KeyValuePair<string, object?>> tags)
    {
        var labels = new Dictionary<string, string?>(StringComparer.Ordinal);
        foreach (var (key, tag) in tags)
        {
            labels[key] = tag?.ToString();
        }

        _readings.Enqueue(new MetricReading(instrument.Name, value, labels));
    }
}
