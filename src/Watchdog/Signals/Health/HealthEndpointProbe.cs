using System.Net.Http.Headers;
using Watchdog.Configuration;
using Watchdog.Http;

namespace Watchdog.Signals.Health;

/// <summary>Probes one health endpoint once: the request, its timeout, the status range and the body text.</summary>
internal static class HealthEndpointProbe
{
    /// <summary>
    /// Never throws: the service's failure is <see cref="HealthProbeVerdict.Failed"/>; what says nothing about the
    /// service (a name that does not resolve, a URL that cannot be sent, the caller's cancellation) is
    /// <see cref="HealthProbeVerdict.Unjudged"/>.
    /// </summary>
    public static async Task<HealthProbeOutcome> ProbeAsync(
        HttpClient client, HealthCheckOptions endpoint, TimeProvider time, CancellationToken cancellationToken)
    {
        using var timeout = new CancellationTokenSource(endpoint.Timeout, time);
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, timeout.Token);
        HttpRequestMessage request;
        try
        {
            request = new HttpRequestMessage(new HttpMethod(endpoint.Method), endpoint.Url);
            request.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue("*/*"));
        }
        catch (Exception exception) when (exception is ArgumentException or FormatException or InvalidOperationException)
        {
            return HealthProbeOutcome.Unjudged($"cannot be sent: {exception.Message}");
        }

        try
        {
            using (request)
            using (var response = await client.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, linked.Token))
            {
                var status = (int)response.StatusCode;
                if (!endpoint.ExpectStatus.Contains(status))
                {
                    return HealthProbeOutcome.Fail($"status {status}, expected {endpoint.ExpectStatus}");
                }

                if (endpoint.BodyContains is { } expected)
                {
                    // A health page is small; reading a larger one whole to find a substring would let one endpoint eat memory.
                    var body = await ResponseBody.ReadAsync(response.Content, endpoint.MaxBodyBytes, linked.Token);
                    if (body.IsTooLarge)
                    {
                        return HealthProbeOutcome.Unjudged($"{body.TooLargeError} (max_body_bytes)");
                    }

                    var text = body.Text;
                    if (!text.Contains(expected, StringComparison.Ordinal))
                    {
                        return HealthProbeOutcome.Fail($"body does not contain the expected text ({text.Length} characters read)");
                    }
                }

                return HealthProbeOutcome.Pass;
            }
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            // Watchdog is stopping or the cycle's deadline passed: that says nothing about the service.
            return HealthProbeOutcome.Unjudged("probe cancelled before it was judged");
        }
        catch (OperationCanceledException)
        {
            // Not the caller's token, so this endpoint's timeout (or the client's own): a failed probe.
            return HealthProbeOutcome.Fail($"no answer within {endpoint.Timeout.TotalMilliseconds:0} ms");
        }
        catch (HttpRequestException exception)
        {
            return HealthProbeFailures.Classify(exception);
        }
        catch (Exception exception) when (exception is NotSupportedException or InvalidOperationException)
        {
            // A scheme HttpClient does not speak, a URL it cannot send: the configuration's fault, not the service's.
            return HealthProbeOutcome.Unjudged($"cannot be sent: {exception.Message}");
        }
        catch (IOException exception)
        {
            // The connection broke while the body was read.
            return HealthProbeOutcome.Fail($"connection broke: {exception.Message}");
        }
    }
}
