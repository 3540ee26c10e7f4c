using System.Globalization;
using System.Net.Http.Headers;
using System.Text;
using Polly.CircuitBreaker;
using Polly.Timeout;
using Watchdog.Configuration;
using Watchdog.Http;
using Watchdog.Rules;
using Watchdog.Secrets;

namespace Watchdog.Signals.Prometheus;

/// <summary>
/// Instant queries against <c>/api/v1/query</c>, with the configured method, credentials and headers. Retries, the
/// circuit breaker and each attempt's timeout are the named HTTP client's resilience handler
/// (<see cref="PrometheusHttpClient"/>); this client turns what comes out of it into a <see cref="PrometheusQueryResult"/>.
/// Only the caller's cancellation throws.
/// </summary>
internal sealed class PrometheusClient
{
    public const string HttpClientName = "watchdog-prometheus";

    private readonly PrometheusSourceOptions _options;
    private readonly IHttpClientFactory _httpClients;
    private readonly PrometheusOutage _outage;
    private readonly Uri _queryUrl;
    private readonly AuthenticationHeaderValue? _authorization;
    public PrometheusClient(PrometheusSourceOptions options, IHttpClientFactory httpClients, PrometheusOutage outage)
    {
        ArgumentNullException.ThrowIfNull(options);
        _options = options;
        _httpClients = httpClients;
        _outage = outage;

        // A base URL may carry a path (a Prometheus behind a proxy at /prometheus/); keep it.
        var baseUrl = options.Url.AbsoluteUri.EndsWith('/') ? options.Url : new Uri(options.Url.AbsoluteUri + "/");
        _queryUrl = new Uri(baseUrl, "api/v1/query");
        _authorization = Authorization(options);
    }

    public Uri QueryUrl => _queryUrl;

    public async Task<PrometheusQueryResult> QueryAsync(string query, CancellationToken cancellationToken)
    {
        using var request = CreateRequest(query);
        try
        {
            // Headers first, then the body as a stream up to the limit (BoundedBodyHandler, within each attempt):
            // buffered whole, a huge or endless answer would grow the heap by gigabytes before the timeout ended it.
            using var response = await _httpClients.CreateClient(HttpClientName).SendAsync(request, HttpCompletionOption.ResponseHeadersRead, cancellationToken);
            return Outcome(response, _options);
        }
        catch (BrokenCircuitException)
        {
            return _outage.CircuitOpen();
        }
        catch (Exception e) when (e is HttpRequestException or IOException or TimeoutRejectedException)
        {
            return Outcome(e, _options);
        }
    }

    /// <summary>What one answer that came through <see cref="BoundedBodyHandler"/> means.</summary>
    internal static PrometheusQueryResult Outcome(HttpResponseMessage response, PrometheusSourceOptions options)
    {
        if (BoundedBodyHandler.BodyOf(response) is not { } body)
        {
            throw new InvalidOperationException($"the {HttpClientName} client must read answers through {nameof(BoundedBodyHandler)}");
        }

        if (body.IsTooLarge)
        {
            // Not transient: asking again would read another answer of the same size.
            return PrometheusQueryResult.Failure($"Prometheus {body.TooLargeError} (sources.prometheus.max_response_bytes)", transient: false);
        }

        return PrometheusResponseParser.Parse(response.StatusCode, response.Content.Headers.ContentType?.MediaType, body.Bytes);
    }

    /// <summary>What an attempt that ended in an exception means; all of these are outages that may pass.</summary>
    internal static PrometheusQueryResult Outcome(Exception exception, PrometheusSourceOptions options) => exception switch
    {
        TimeoutRejectedException => PrometheusQueryResult.Failure($"no answer from Prometheus within {DurationText.Format(options.Timeout)}", transient: true),
        HttpRequestException => PrometheusQueryResult.Failure($"cannot reach Prometheus at {Redaction.Url(options.Url)}: {exception.Message}", transient: true),

        // The connection broke while the body was read: an outage like any other.
        IOException => PrometheusQueryResult.Failure($"Prometheus's answer broke off: {exception.Message}", transient: true),
        _ => PrometheusQueryResult.Failure(exception.Message, transient: true),
    };

    private HttpRequestMessage CreateRequest(string query)
    {
        // Tell Prometheus our limit too, so that it stops evaluating a query nobody waits for any more.
        var timeout = ((long)_options.Timeout.TotalMilliseconds).ToString(CultureInfo.InvariantCulture) + "ms";
        HttpRequestMessage request;
        if (string.Equals(_options.Method, "POST", StringComparison.OrdinalIgnoreCase))
        {
            request = new HttpRequestMessage(HttpMethod.Post, _queryUrl)
            {
                Content = new FormUrlEncodedContent([new("query", query), new("timeout", timeout)]),
            };
        }
        else
        {
            var url = $"{_queryUrl.AbsoluteUri}?query={Uri.EscapeDataString(query)}&timeout={timeout}";
            request = new HttpRequestMessage(HttpMethod.Get, url);
        }

        request.Headers.Authorization = _authorization;
        foreach (var (name, value) in _options.Headers)
        {
            request.Headers.TryAddWithoutValidation(name, value);
        }

        return request;
    }

    private static AuthenticationHeaderValue? Authorization(PrometheusSourceOptions options)
    {
        // Read once at start-up: a missing or unreadable token file is a configuration error, not an outage.
        var token = options.BearerToken ?? (options.BearerTokenFile is { } file ? File.ReadAllText(file).Trim() : null);
        if (token is not null)
        {
            return new AuthenticationHeaderValue("Bearer", token);
        }

        if (options.BasicUsername is { } username)
        {
            var credentials = Encoding.UTF8.GetBytes($"{username}:{options.BasicPassword}");
            return new AuthenticationHeaderValue("Basic", Convert.ToBase64String(credentials));
        }

        return null;
    }
}
