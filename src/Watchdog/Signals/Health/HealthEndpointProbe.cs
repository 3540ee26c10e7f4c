using System.Net.Http.Headers;
using System.Text;
using Watchdog.Configuration;

namespace Watchdog.Signals.Health;

/// <summary>Probes one health endpoint once: the request, its timeout, the status range and the body text.</summary>
internal static class HealthEndpointProbe
{
    // A health page is small; reading more than this to find a substring would let one endpoint eat memory.
    private const int MaxBodyChars = 256 * 1024;

    /// <summary>Never throws for the endpoint's failure; throws only when <paramref name="cancellationToken"/> is cancelled.</summary>
    public static async Task<HealthProbeOutcome> ProbeAsync(
        HttpClient client, HealthCheckOptions endpoint, TimeProvider time, CancellationToken cancellationToken)
    {
        using var timeout = new CancellationTokenSource(endpoint.Timeout, time);
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, timeout.Token);
        try
        {
            using var request = new HttpRequestMessage(new HttpMethod(endpoint.Method), endpoint.Url);
            request.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue("*/*"));
            using var response = await client.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, linked.Token);
            var status = (int)response.StatusCode;
            if (!endpoint.ExpectStatus.Contains(status))
            {
                return HealthProbeOutcome.Fail($"status {status}, expected {endpoint.ExpectStatus}");
            }

            if (endpoint.BodyContains is { } expected)
            {
                var body = await ReadBodyAsync(response.Content, linked.Token);
                if (!body.Contains(expected, StringComparison.Ordinal))
                {
                    return HealthProbeOutcome.Fail($"body does not contain the expected text ({body.Length} characters read)");
                }
            }

            return HealthProbeOutcome.Pass;
        }
        // Not the caller's token, so this endpoint's timeout (or the client's own): a failed probe.
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            return HealthProbeOutcome.Fail($"no answer within {endpoint.Timeout.TotalMilliseconds:0} ms");
        }
        catch (HttpRequestException exception)
        {
            return HealthProbeOutcome.Fail($"unreachable: {exception.Message}");
        }
        catch (IOException exception)
        {
            // The connection broke while the body was read.
            return HealthProbeOutcome.Fail($"connection broke: {exception.Message}");
        }
    }

    private static async Task<string> ReadBodyAsync(HttpContent content, CancellationToken cancellationToken)
    {
        await using var stream = await content.ReadAsStreamAsync(cancellationToken);
        using var reader = new StreamReader(stream, Encoding.UTF8);
        var buffer = new char[8192];
        var text = new StringBuilder();
        int read;
        while (text.Length < MaxBodyChars && (read = await reader.ReadAsync(buffer, cancellationToken)) > 0)
        {
            text.Append(buffer, 0, read);
        }

        return text.ToString();
    }
}
