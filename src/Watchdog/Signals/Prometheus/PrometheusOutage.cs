using System.Globalization;

namespace Watchdog.Signals.Prometheus;

/// <summary>
/// Since when Prometheus has been failing and its last error, from every attempt (retries included): what a read
/// says while the circuit is open. Written by <see cref="PrometheusAttemptRecorder"/> and the attempt timeout.
/// </summary>
internal sealed class PrometheusOutage(TimeProvider time)
{
    private readonly Lock _gate = new();
    private DateTimeOffset? _failingSince;
    private string _lastError = "";

    public void Remember(PrometheusQueryResult result)
    {
        lock (_gate)
        {
            if (result.Transient)
            {
                _failingSince ??= time.GetUtcNow();
                _lastError = result.Error ?? "";
            }
            else
            {
                _failingSince = null;
            }
        }
    }

    public PrometheusQueryResult CircuitOpen()
    {
        lock (_gate)
        {
            var since = (_failingSince ?? time.GetUtcNow()).ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture);
            return PrometheusQueryResult.Failure($"circuit open: Prometheus failing since {since} (last error: {_lastError})", transient: true);
        }
    }
}
