using Watchdog.Configuration;

namespace Watchdog.Signals.Prometheus;

/// <summary>
/// Inside the resilience handler, so it sees every attempt, not only a read's last: each outcome goes to
/// <see cref="PrometheusOutage"/>, so that an open circuit names Prometheus's own last error even when the reads
/// themselves ended at the watch cycle's deadline during a retry's wait.
/// </summary>
internal sealed class PrometheusAttemptRecorder(PrometheusOutage outage, PrometheusSourceOptions options) : DelegatingHandler
{
    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        try
        {
            var response = await base.SendAsync(request, cancellationToken);
            outage.Remember(PrometheusClient.Outcome(response, options));
            return response;
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            // The deadline (or the attempt timeout, whose own callback then says so) ended the attempt.
            outage.Remember(PrometheusQueryResult.Failure("no answer from Prometheus before the watch cycle's deadline", transient: true));
            throw;
        }
        catch (Exception e) when (e is HttpRequestException or IOException)
        {
            outage.Remember(PrometheusClient.Outcome(e, options));
            throw;
        }
    }
}
