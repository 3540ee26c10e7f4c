using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Text.Json.Serialization.Metadata;
using k8s;
using k8s.Authentication;
using k8s.Exceptions;
using Polly;
using Polly.Retry;
using Polly.Timeout;
using Watchdog.Configuration;
using Watchdog.Http;

namespace Watchdog.Kubernetes;

/// <summary>
/// A thin REST client for the few verbs Watchdog uses, on the official client's transport: the TLS setup (CA,
/// client certificate, insecure-skip-tls-verify) and the credentials (token, basic, exec plugin, token file) are
/// <c>k8s.Kubernetes</c>'s; the requests, their retries, bounded reads and raw JSON answers are Watchdog's, because
/// kubectl parity needs the bytes the server sent. A non-2xx answer throws <see cref="KubernetesStatusException"/>
/// carrying the server's <c>Status</c>; a server that cannot be reached throws <see cref="KubernetesUnavailableException"/>.
/// Retries 429, 5xx, timeouts and connection errors with backoff, never other 4xx, and only where sending again is
/// safe: reads, and writes the caller says carry a precondition (a <c>resourceVersion</c> in the body, a JSON Patch
/// <c>test</c>), which a second application fails with 409 instead of overwriting a change made in between. A plain
/// write (a scale, an annotation without a version) and a POST (an Event) are sent once: a lost answer is reported,
/// not guessed at. There are no watches.
/// </summary>
internal sealed class KubernetesClient : IDisposable
{
    /// <summary>
    /// The largest answer read: a LIST page of a few hundred ReplicaSets is far below it; more is a server (or a proxy)
    /// gone wrong, refused as <see cref="KubernetesUnavailableException"/> rather than held in memory.
    /// </summary>
    public const long DefaultMaxResponseBytes = 16 * 1024 * 1024;

    private readonly k8s.Kubernetes _api;
    private readonly HttpClient _http;
    private readonly ServiceClientCredentials? _credentials;
    private readonly ResiliencePipeline _retried;
    private readonly ResiliencePipeline _once;
    private readonly long _maxResponseBytes;

    /// <param name="handler">Put in front of the library's handler (tests record or answer requests there).</param>
    /// <exception cref="KubernetesConfigException">The library refuses the configuration (a bad server URL, a client certificate that does not load).</exception>
    public KubernetesClient(
        KubernetesClientConfiguration config,
        TimeProvider time,
        KubernetesRetryOptions? retry = null,
        DelegatingHandler? handler = null,
        long maxResponseBytes = DefaultMaxResponseBytes)
    {
        ArgumentNullException.ThrowIfNull(config);
        ArgumentNullException.ThrowIfNull(time);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(maxResponseBytes);
        _maxResponseBytes = maxResponseBytes;
        // Trimmed: the library's InClusterConfig keeps the namespace file's trailing newline.
        Namespace = string.IsNullOrWhiteSpace(config.Namespace) ? "default" : config.Namespace.Trim();
        retry ??= new KubernetesRetryOptions();
        // Connections are renewed so a moved API server (DNS) is found again; kept from Watchdog's own handler.
        config.FirstMessageHandlerSetup ??= sockets => sockets.PooledConnectionLifetime = TimeSpan.FromMinutes(5);
        try
        {
            _api = handler is null ? new k8s.Kubernetes(config) : new k8s.Kubernetes(config, handler);
        }
        catch (Exception ex) when (ex is KubeConfigException or CryptographicException or FormatException or IOException)
        {
            throw new KubernetesConfigException([$"server {config.Host}: {ex.Message}"]);
        }

        // The library's HttpClient has no timeout: timeouts come from the pipeline (per attempt) and the caller's token.
        _http = _api.HttpClient;
        _credentials = _api.Credentials;
        _once = new ResiliencePipelineBuilder { TimeProvider = time }.AddTimeout(retry.AttemptTimeout).Build();
        _retried = new ResiliencePipelineBuilder { TimeProvider = time }
            .AddRetry(new RetryStrategyOptions
            {
                MaxRetryAttempts = Math.Max(retry.MaxRetries, 1),
                Delay = retry.BaseDelay,
                BackoffType = DelayBackoffType.Exponential,
                UseJitter = true,
                ShouldHandle = args => ValueTask.FromResult(retry.MaxRetries > 0 && args.Outcome.Exception switch
                {
                    KubernetesStatusException status => status.IsTransient,
                    HttpRequestException or TimeoutRejectedException or IOException => true,
                    _ => false,
                }),
            })
            .AddTimeout(retry.AttemptTimeout)
            .Build();
    }

    /// <summary>The context's namespace (in-cluster: the pod's), <c>default</c> when none is set.</summary>
    public string Namespace { get; }

    public Task<Deployment> GetDeploymentAsync(string ns, string name, CancellationToken cancellationToken) =>
        GetAsync(KubernetesPaths.Deployment(ns, name), KubernetesJsonContext.Default.Deployment, cancellationToken);

    public async Task<T> GetAsync<T>(string path, JsonTypeInfo<T> type, CancellationToken cancellationToken)
    {
        var body = await SendAsync(HttpMethod.Get, path, null, null, cancellationToken);
        return Deserialize(body, type);
    }

    /// <summary>The body as the server sent it: what an incident saves as "state before the change".</summary>
    public Task<string> GetRawAsync(string path, CancellationToken cancellationToken) => SendAsync(HttpMethod.Get, path, null, null, cancellationToken);

    /// <summary>One page of a LIST.</summary>
    public async Task<KubernetesList<T>> ListAsync<T>(string path, KubernetesListOptions options, JsonTypeInfo<KubernetesList<T>> type, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(options);
        var query = new List<string>();
        Add(query, "labelSelector", options.LabelSelector);
        Add(query, "fieldSelector", options.FieldSelector);
        Add(query, "limit", options.Limit?.ToString(CultureInfo.InvariantCulture));
        Add(query, "continue", options.Continue);
        var body = await SendAsync(HttpMethod.Get, query.Count == 0 ? path : path + "?" + string.Join('&', query), null, null, cancellationToken);
        return Deserialize(body, type);
    }

    /// <summary>Every item, following <c>metadata.continue</c> as kubectl's FollowContinue does.</summary>
    public async Task<List<T>> ListAllAsync<T>(string path, KubernetesListOptions options, JsonTypeInfo<KubernetesList<T>> type, CancellationToken cancellationToken)
    {
        var items = new List<T>();
        for (var page = options; ;)
        {
            var list = await ListAsync(path, page, type, cancellationToken);
            items.AddRange(list.Items);
            if (string.IsNullOrEmpty(list.Metadata.Continue))
            {
                return items;
            }

            page = page with { Continue = list.Metadata.Continue };
        }
    }

    /// <param name="preconditioned">Whether <paramref name="patch"/> carries a precondition, so that it may be retried.</param>
    public async Task<T> PatchAsync<T>(string path, KubernetesPatchType patchType, string patch, JsonTypeInfo<T> type, bool preconditioned, CancellationToken cancellationToken)
    {
        var contentType = patchType switch
        {
            KubernetesPatchType.Json => "application/json-patch+json",
            KubernetesPatchType.Merge => "application/merge-patch+json",
            KubernetesPatchType.StrategicMerge => "application/strategic-merge-patch+json",
            _ => throw new ArgumentOutOfRangeException(nameof(patchType)),
        };
        var body = await SendAsync(HttpMethod.Patch, path, patch, contentType, preconditioned, cancellationToken);
        return Deserialize(body, type);
    }

    /// <param name="resourcePath">The workload's path, e.g. <see cref="KubernetesPaths.Deployment"/>(ns, name).</param>
    public Task<Scale> GetScaleAsync(string resourcePath, CancellationToken cancellationToken) =>
        GetAsync(resourcePath + "/scale", KubernetesJsonContext.Default.Scale, cancellationToken);

    /// <summary>What <c>kubectl scale</c> sends: a merge patch of <c>spec.replicas</c> on the scale subresource, without a precondition.</summary>
    public Task<Scale> PatchScaleAsync(string resourcePath, int replicas, CancellationToken cancellationToken) =>
        PatchAsync(resourcePath + "/scale", KubernetesPatchType.Merge, string.Create(CultureInfo.InvariantCulture, $$$"""{"spec":{"replicas":{{{replicas}}}}}"""), KubernetesJsonContext.Default.Scale, preconditioned: false, cancellationToken);

    public async Task<KubernetesEvent> CreateEventAsync(KubernetesEvent item, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(item);
        var json = JsonSerializer.Serialize(item, KubernetesJsonContext.Default.KubernetesEvent);
        var body = await SendAsync(HttpMethod.Post, KubernetesPaths.Events(item.Metadata.Namespace ?? Namespace), json, "application/json", cancellationToken);
        return Deserialize(body, KubernetesJsonContext.Default.KubernetesEvent);
    }

    /// <summary>One request, retried if it is a GET; the 2xx body, or a <see cref="KubernetesStatusException"/>.</summary>
    public Task<string> SendAsync(HttpMethod method, string path, string? content, string? contentType, CancellationToken cancellationToken) =>
        SendAsync(method, path, content, contentType, preconditioned: false, cancellationToken);

    /// <summary>One request, retried if it is a GET or <paramref name="preconditioned"/>; the 2xx body, or a <see cref="KubernetesStatusException"/>.</summary>
    /// <param name="preconditioned">Whether the body carries a precondition (a resourceVersion, a JSON Patch <c>test</c>), so a second application cannot overwrite a change made in between.</param>
    public async Task<string> SendAsync(HttpMethod method, string path, string? content, string? contentType, bool preconditioned, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(method);
        var url = new Uri(_api.BaseUri, path);
        var pipeline = method == HttpMethod.Get || preconditioned ? _retried : _once;
        try
        {
            return await pipeline.ExecuteAsync(async token => await SendOnceAsync(method, url, content, contentType, token), cancellationToken);
        }
        catch (HttpRequestException ex)
        {
            throw new KubernetesUnavailableException($"{method} {url.GetLeftPart(UriPartial.Path)}: {ex.Message}", ex);
        }
        catch (TimeoutRejectedException ex)
        {
            throw new KubernetesUnavailableException($"{method} {url.GetLeftPart(UriPartial.Path)}: no answer within {ex.Timeout.TotalSeconds:0.#} s", ex);
        }
        catch (IOException ex)
        {
            // The connection broke while the body was read.
            throw new KubernetesUnavailableException($"{method} {url.GetLeftPart(UriPartial.Path)}: the answer broke off: {ex.Message}", ex);
        }
    }

    public void Dispose() => _api.Dispose();

    private async Task<string> SendOnceAsync(HttpMethod method, Uri url, string? content, string? contentType, CancellationToken cancellationToken)
    {
        var (code, body) = await SendWithCredentialsAsync(method, url, content, contentType, cancellationToken);
        if ((int)code is >= 200 and < 300)
        {
            return body;
        }

        throw new KubernetesStatusException(KubernetesStatusBody.Parse((int)code, body));
    }

    private async Task<(HttpStatusCode Code, string Body)> SendWithCredentialsAsync(HttpMethod method, Uri url, string? content, string? contentType, CancellationToken cancellationToken)
    {
        using var request = new HttpRequestMessage(method, url);
        request.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue("application/json"));
        await AuthorizeAsync(request, cancellationToken);

        if (content is not null)
        {
            request.Content = new StringContent(content, Encoding.UTF8);
            request.Content.Headers.ContentType = new MediaTypeHeaderValue(contentType ?? "application/json");
        }

        // Headers first, then the body as a stream up to the limit, never buffered whole.
        using var response = await _http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, cancellationToken);
        var body = await ResponseBody.ReadAsync(response.Content, _maxResponseBytes, cancellationToken);
        return body.IsTooLarge
            ? throw new KubernetesUnavailableException($"{method} {url.GetLeftPart(UriPartial.Path)}: {body.TooLargeError}", null)
            : (response.StatusCode, body.Text);
    }

    /// <summary>The library's credentials set the Authorization header: a token, basic auth, its exec plugin or token file.</summary>
    private async Task AuthorizeAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        if (_credentials is null)
        {
            return;
        }

        try
        {
            await _credentials.ProcessHttpRequestAsync(request, cancellationToken);
        }
        catch (Exception ex) when (CredentialFailure(ex) is { } failure)
        {
            // An exec plugin that fails or a token file that cannot be read: the configuration's fault, not the
            // server's, so not retried here; the step fails saying why.
            throw new KubernetesConfigException([$"credentials: {failure.Message}"]);
        }
    }

    /// <summary>The library's token file reader fails wrapped in an AggregateException (its ContinueWith); look inside.</summary>
    private static Exception? CredentialFailure(Exception ex) =>
        (ex is AggregateException { InnerException: { } inner } ? inner : ex) switch
        {
            (KubeConfigException or IOException or UnauthorizedAccessException) and var failure => failure,
            _ => null,
        };

    private static T Deserialize<T>(string body, JsonTypeInfo<T> type)
    {
        try
        {
            return JsonSerializer.Deserialize(body, type) ?? throw new KubernetesUnavailableException("the server answered with an empty body", null);
        }
        catch (JsonException ex)
        {
            throw new KubernetesUnavailableException($"the server's answer is not a {typeof(T).Name}: {ex.Message}", ex);
        }
    }

    private static void Add(List<string> query, string name, string? value)
    {
        if (!string.IsNullOrEmpty(value))
        {
            query.Add(name + "=" + Uri.EscapeDataString(value));
        }
    }
}
