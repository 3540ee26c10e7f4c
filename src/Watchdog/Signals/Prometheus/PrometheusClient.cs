using System.Globalization;
using System.Net.Http.Headers;
using System.Text;
using Microsoft.Extensions.Logging;
using Polly;
using Polly.CircuitBreaker;
using Polly.Retry;
using Polly.Timeout;
using Watchdog.Configuration;
using Watchdog.Http;
using Watchdog.Rules;
using Watchdog.Secrets;

namespace Watchdog.Signals.Prometheus;

/// <summary>
/// Instant queries against <c>/api/v1/query</c>, with the configured method, credentials and headers, each attempt
/// bounded by the timeout, transient failures retried with backoff, and a circuit breaker so that a dead Prometheus
/// costs one fast error per read. Every outcome is a <see cref="PrometheusQueryResult"/>; only the caller's
/// cancellation throws.
/// </summary>
internal sealed class PrometheusClient
{
    public const string HttpClientName = "watchdog-prometheus";

    private readonly PrometheusSourceOptions _options;
    private readonly PrometheusResilienceOptions _resilience;
    private readonly IHttpClientFactory _httpClients;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;
    private readonly Uri _queryUrl;
    private readonly AuthenticationHeaderValue? _authorization;
    private readonly ResiliencePipeline<PrometheusQueryResult> _pipeline;
    private readonly Lock _gate = new();
    private DateTimeOffset? _failingSince;
    private string _lastError = "";

    public PrometheusClient(
        PrometheusSourceOptions options,
        PrometheusResilienceOptions resilience,
        IHttpClientFactory httpClients,
        TimeProvider time,
        ILogger<PrometheusClient> logger)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(resilience);
        _options = options;
        _resilience = resilience;
        _httpClients = httpClients;
        _time = time;
        _logger = logger;

        // A base URL may carry a path (a Prometheus behind a proxy at /prometheus/); keep it.
        var baseUrl = options.Url.AbsoluteUri.EndsWith('/') ? options.Url : new Uri(options.Url.AbsoluteUri + "/");
        _queryUrl = new Uri(baseUrl, "api/v1/query");
        _authorization = Authorization(options);
        _pipeline = BuildPipeline();
    }

    public Uri QueryUrl => _queryUrl;

    public async Task<PrometheusQueryResult> QueryAsync(string query, CancellationToken cancellationToken)
    {
        try
        {
            return await _pipeline.ExecuteAsync(static (state, token) => state.self.AttemptAsync(state.query, token), (self: this, query), cancellationToken);
        }
        catch (TimeoutRejectedException)
        {
            return TimedOut();
        }
        catch (BrokenCircuitException)
        {
            lock (_gate)
            {
                var since = (_failingSince ?? _time.GetUtcNow()).ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture);
                return PrometheusQueryResult.Failure($"circuit open: Prometheus failing since {since} (last error: {_lastError})", transient: true);
            }
        }
    }

    private async ValueTask<PrometheusQueryResult> AttemptAsync(string query, CancellationToken cancellationToken)
    {
        try
        {
            var result = await SendAsync(query, cancellationToken);
            Remember(result);
            return result;
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            // The watch cycle's deadline ended the attempt: Prometheus did not answer in time, and the circuit counts it.
            Remember(PrometheusQueryResult.Failure("no answer from Prometheus before the watch cycle's deadline", transient: true));
            throw;
        }
    }

    private async Task<PrometheusQueryResult> SendAsync(string query, CancellationToken cancellationToken)
    {
        using var request = CreateRequest(query);
        try
        {
            // Headers first, then the body as a stream up to the limit: buffered whole, a huge or endless answer
            // would grow the heap by gigabytes before the timeout ended it.
            using var response = await _httpClients.CreateClient(HttpClientName).SendAsync(request, HttpCompletionOption.ResponseHeadersRead, cancellationToken);
            var body = await ResponseBody.ReadAsync(response.Content, _options.MaxResponseBytes, cancellationToken);
            if (body.IsTooLarge)
            {
                // Not transient: asking again would read another answer of the same size.
                return PrometheusQueryResult.Failure($"Prometheus {body.TooLargeError} (sources.prometheus.max_response_bytes)", transient: false);
            }

            return PrometheusResponseParser.Parse(response.StatusCode, response.Content.Headers.ContentType?.MediaType, body.Bytes);
        }
        catch (HttpRequestException e)
        {
            return PrometheusQueryResult.Failure($"cannot reach Prometheus at {Redaction.Url(_options.Url)}: {e.Message}", transient: true);
        }
        catch (IOException e)
        {
            // The connection broke while the body was read: an outage like any other.
            return PrometheusQueryResult.Failure($"Prometheus's answer broke off: {e.Message}", transient: true);
        }
    }

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

    private void Remember(PrometheusQueryResult result)
    {
        lock (_gate)
        {
            if (result.Transient)
            {
                _failingSince ??= _time.GetUtcNow();
                _lastError = result.Error ?? "";
            }
            else
            {
                _failingSince = null;
            }
        }
    }

    private ResiliencePipeline<PrometheusQueryResult> BuildPipeline()
    {
        var failures = new PredicateBuilder<PrometheusQueryResult>()
            .Handle<TimeoutRejectedException>()
            .HandleResult(result => result.Transient);
        var builder = new ResiliencePipelineBuilder<PrometheusQueryResult> { TimeProvider = _time };
        if (_resilience.MaxRetries > 0)
        {
            builder.AddRetry(new RetryStrategyOptions<PrometheusQueryResult>
            {
                MaxRetryAttempts = _resilience.MaxRetries,
                Delay = _resilience.FirstRetryDelay,
                BackoffType = DelayBackoffType.Exponential,
                UseJitter = false,
                ShouldHandle = failures,
                OnRetry = args =>
                {
                    var error = args.Outcome.Result?.Error ?? args.Outcome.Exception?.Message ?? "unknown";
                    PrometheusLog.Retrying(_logger, args.AttemptNumber + 1, error, args.RetryDelay);
                    return default;
                },
            });
        }

        // Inside the retries, so that every attempt counts towards opening the circuit and an open circuit
        // ends the retries at once (BrokenCircuitException is not a failure the retry handles).
        // An attempt the watch cycle's deadline cancels is a failure too: Polly counts an outcome it is not told to
        // handle as a success, so a Prometheus slower than the deadline kept the circuit closed for ever, and every
        // cycle waited out the whole deadline.
        var breakerFailures = new PredicateBuilder<PrometheusQueryResult>()
            .Handle<TimeoutRejectedException>()
            .Handle<OperationCanceledException>()
            .HandleResult(result => result.Transient);
        builder.AddCircuitBreaker(new CircuitBreakerStrategyOptions<PrometheusQueryResult>
        {
            FailureRatio = 1.0,
            MinimumThroughput = _resilience.FailuresToOpen,
            SamplingDuration = _resilience.SamplingDuration,
            BreakDuration = _resilience.BreakDuration,
            ShouldHandle = breakerFailures,
            OnOpened = args =>
            {
                var error = args.Outcome.Result?.Error ?? args.Outcome.Exception?.Message ?? "unknown";
                PrometheusLog.CircuitOpened(_logger, Redaction.Url(_options.Url), error, args.BreakDuration);
                return default;
            },
            OnClosed = _ =>
            {
                PrometheusLog.CircuitClosed(_logger, Redaction.Url(_options.Url));
                return default;
            },
        });

        // Innermost, so that the timeout bounds each attempt rather than the whole series.
        return builder.AddTimeout(new TimeoutStrategyOptions
        {
            Timeout = _options.Timeout,
            OnTimeout = _ =>
            {
                Remember(TimedOut());
                return default;
            },
        }).Build();
    }

    private PrometheusQueryResult TimedOut() =>
        PrometheusQueryResult.Failure($"no answer from Prometheus within {DurationText.Format(_options.Timeout)}", transient: true);

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
