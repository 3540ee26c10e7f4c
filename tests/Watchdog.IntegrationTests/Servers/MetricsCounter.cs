namespace Watchdog.IntegrationTests.Servers;

/// <summary>
/// One counter of a <see cref="MetricsEndpoint"/>: it grows by its rate, asked at each scrape, times the time since
/// the scrape before, so a rate that changes between scrapes is followed from the next one on.
/// </summary>
internal sealed class MetricsCounter(string series, Func<double> perSecond, DateTimeOffset from)
{
    private DateTimeOffset _at = from;
    private double _value;

    public string Series => series;

    /// <summary>The value at <paramref name="now"/>; never decreases, so Prometheus sees no counter reset.</summary>
    public double AdvanceTo(DateTimeOffset now)
    {
        _value += Math.Max(0, perSecond()) * Math.Max(0, (now - _at).TotalSeconds);
        _at = now;
        return _value;
    }
}
