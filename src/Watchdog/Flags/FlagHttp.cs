using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using Polly.Timeout;
using Watchdog.Configuration;
using Watchdog.Http;
using Watchdog.Rules;
using Watchdog.Secrets;

namespace Watchdog.Flags;

/// <summary>
/// What both provider kinds do with one call: send it through the provider's named client with its token, and turn
/// whatever comes back that is not a 2xx (a refusal, a timeout, a broken connection, an answer too large) into a
/// <see cref="FlagProviderException"/> that says which provider, which call and why, in the provider's own words
/// where it gave some, and never with the token.
/// </summary>
internal sealed class FlagHttp(FlagProviderOptions options, IHttpClientFactory clients, Func<string, string> authorization)
{
    private const int ExcerptLength = 200;

    public FlagProviderOptions Options => options;

    /// <summary>The provider's base URL joined with <paramref name="path"/> (which starts with '/'), keeping the base's own path.</summary>
    public Uri UrlOf(string path) => new(options.Url.AbsoluteUri.TrimEnd('/') + path);

    /// <summary>Sends the request and returns the answer's body, read up to the limit; throws <see cref="FlagProviderException"/> for anything but a 2xx.</summary>
    public async Task<ResponseBody> SendAsync(HttpMethod method, Uri url, string? json, IReadOnlyDictionary<string, string>? headers, CancellationToken cancellationToken)
    {
        string? token;
        try
        {
            token = options.ReadToken();
        }
        catch (InvalidOperationException e)
        {
            throw new FlagProviderException(e.Message, e);
        }

        using var request = new HttpRequestMessage(method, url);
        if (json is not null)
        {
            request.Content = new StringContent(json, Encoding.UTF8, "application/json");
        }

        request.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue("application/json"));
        if (token is not null)
        {
            // Unvalidated: Unleash's tokens (*:*.secret) are no valid header token, and a FormatException would quote the value.
            request.Headers.TryAddWithoutValidation("Authorization", authorization(token));
        }

        foreach (var (name, value) in headers ?? new Dictionary<string, string>())
        {
            request.Headers.TryAddWithoutValidation(name, value);
        }

        var call = $"{method} {Redaction.Url(url)}";
        try
        {
            using var response = await clients.CreateClient(FlagHttpClient.NameOf(options)).SendAsync(request, HttpCompletionOption.ResponseHeadersRead, cancellationToken);
            var body = BoundedBodyHandler.BodyOf(response)
                ?? throw new InvalidOperationException($"the {FlagHttpClient.NameOf(options)} client must read answers through {nameof(BoundedBodyHandler)}");
            if (body.IsTooLarge)
            {
                throw Failure($"{call}: {body.TooLargeError} (flags[].max_response_bytes)", token);
            }

            if (!response.IsSuccessStatusCode)
            {
                throw Failure($"{call}: {Refusal(response.StatusCode)}{Said(body)}", token);
            }

            return body;
        }
        catch (TimeoutRejectedException e)
        {
            throw new FlagProviderException($"flag provider '{options.Name}': {call}: no answer within {DurationText.Format(options.Timeout)}", e);
        }
        catch (HttpRequestException e)
        {
            throw Failure($"{call}: cannot reach the service: {e.Message}", token, e);
        }
        catch (IOException e)
        {
            throw Failure($"{call}: the answer broke off: {e.Message}", token, e);
        }
    }

    /// <summary>A 2xx answer that cannot be read as what was expected.</summary>
    public FlagProviderException Garbage(HttpMethod method, Uri url, string what, ResponseBody body, Exception? inner = null) =>
        Failure($"{method} {Redaction.Url(url)}: the answer is not {what}: {Excerpt(body.Text)}", null, inner);

    /// <summary>A problem with the flag itself, said as this provider's error.</summary>
    public FlagProviderException Problem(string message) => new($"flag provider '{options.Name}': {message}");

    private static string Refusal(HttpStatusCode status) => (int)status switch
    {
        401 => "401 Unauthorized: the token was refused (check token, token_file or token_env)",
        403 => "403 Forbidden: the token may not do this (an admin API token is needed)",
        404 => "404 Not Found (unknown flag, project or environment?)",
        409 => "409 Conflict: the service refused the change as it stands",
        429 => "429 Too Many Requests",
        >= 500 => $"{(int)status} {status}: the service failed",
        _ => $"{(int)status} {status}",
    };

    // The service's own words: a JSON error's message (Unleash's "There's no feature named ..."), or the start of its text.
    private static string Said(ResponseBody body)
    {
        if (body.Bytes.IsEmpty)
        {
            return "";
        }

        try
        {
            using var document = JsonDocument.Parse(body.Bytes);
            if (document.RootElement.ValueKind == JsonValueKind.Object)
            {
                foreach (var field in (string[])["message", "error", "detail"])
                {
                    if (document.RootElement.TryGetProperty(field, out var value) && value.ValueKind == JsonValueKind.String)
                    {
                        return $": \"{Excerpt(value.GetString() ?? "")}\"";
                    }
                }
            }
        }
        catch (JsonException)
        {
            // Not JSON: the text itself is the best the service said.
        }

        return $": {Excerpt(body.Text)}";
    }

    private static string Excerpt(string text)
    {
        var line = text.ReplaceLineEndings(" ").Trim();
        return line.Length <= ExcerptLength ? line : line[..ExcerptLength] + "…";
    }

    // A service may quote the Authorization header back; whatever it says, the token is never repeated.
    private FlagProviderException Failure(string message, string? token, Exception? inner = null)
    {
        var text = $"flag provider '{options.Name}': {message}";
        token ??= SafeToken();
        if (token is { Length: > 0 })
        {
            text = text.Replace(token, Redaction.Marker, StringComparison.Ordinal);
        }

        return inner is null ? new FlagProviderException(text) : new FlagProviderException(text, inner);
    }

    private string? SafeToken()
    {
        try
        {
            return options.ReadToken();
        }
        catch (InvalidOperationException)
        {
            // No token to hide: the call would not have carried one.
            return null;
        }
    }
}
