namespace Watchdog.Secrets;

/// <summary>
/// How secrets look wherever Watchdog shows or keeps something (logs, the store, timelines, reports, the API): a URL
/// loses its user info and its query values (names kept, values <c>***</c>), and a step parameter with a
/// secret-looking name is <c>***</c>. One place, so that a new place showing a URL or a step cannot do it differently.
/// </summary>
internal static class Redaction
{
    /// <summary>What a secret value is replaced by.</summary>
    public const string Marker = "***";

    // Matched on the lower-cased name without '_' and '-', so api_key, api-key, apiKey and X_API_KEY all count.
    private static readonly string[] SecretWords = ["token", "password", "secret", "apikey", "authorization"];

    /// <summary>A URL as it may be shown: <c>https://host:port/path?name=***</c>, no user info, no fragment value.</summary>
    public static string Url(Uri url)
    {
        ArgumentNullException.ThrowIfNull(url);
        if (!url.IsAbsoluteUri)
        {
            return Url(url.OriginalString);
        }

        // Authority is host and port only: the user info is never part of it.
        var fragment = url.Fragment.Length > 1 ? "#" + Marker : "";
        return $"{url.Scheme}://{url.Authority}{url.AbsolutePath}{Query(url.Query)}{fragment}";
    }

    /// <summary>
    /// <see cref="Url(Uri)"/> for text, e.g. a URL written in a configuration file or a parameter. Text that is not an
    /// absolute URL is still cut at its first <c>?</c> and <c>#</c> the same way, and anything up to an <c>@</c> before
    /// the path is dropped, because a broken URL may carry a secret as well.
    /// </summary>
    public static string Url(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        if (Uri.TryCreate(text, UriKind.Absolute, out var url) && url.Scheme is "http" or "https")
        {
            return Url(url);
        }

        var fragmentAt = text.IndexOf('#', StringComparison.Ordinal);
        var fragment = fragmentAt >= 0 && fragmentAt < text.Length - 1 ? "#" + Marker : "";
        var rest = fragmentAt >= 0 ? text[..fragmentAt] : text;
        var queryAt = rest.IndexOf('?', StringComparison.Ordinal);
        var query = queryAt >= 0 ? Query(rest[queryAt..]) : "";
        var head = queryAt >= 0 ? rest[..queryAt] : rest;
        var scheme = head.IndexOf("://", StringComparison.Ordinal);
        var authorityAt = scheme >= 0 ? scheme + 3 : head.StartsWith("//", StringComparison.Ordinal) ? 2 : 0;
        var pathAt = head.IndexOf('/', authorityAt);
        pathAt = pathAt >= 0 ? pathAt : head.Length;
        var authority = head[authorityAt..pathAt];
        var userinfoEnd = authority.LastIndexOf('@');
        if (userinfoEnd >= 0)
        {
            head = head[..authorityAt] + authority[(userinfoEnd + 1)..] + head[pathAt..];
        }

        return head + query + fragment;
    }

    /// <summary>Whether a step parameter of this name holds a secret (its value is never shown nor stored).</summary>
    public static bool IsSecretName(string name)
    {
        ArgumentNullException.ThrowIfNull(name);
        var normal = name.ToLowerInvariant();

        // A *_file parameter names where a secret is read from; what is read from it is the secret, so neither is kept.
        if (normal.EndsWith("_file", StringComparison.Ordinal))
        {
            return true;
        }

        normal = normal.Replace("_", "", StringComparison.Ordinal).Replace("-", "", StringComparison.Ordinal);
        return SecretWords.Any(word => normal.Contains(word, StringComparison.Ordinal));
    }

    /// <summary>One step parameter as it may be shown and stored: a secret as <c>***</c>, a URL by <see cref="Url(string)"/>.</summary>
    public static string Parameter(string name, string value)
    {
        ArgumentNullException.ThrowIfNull(value);
        if (IsSecretName(name))
        {
            return Marker;
        }

        return LooksLikeUrl(value) ? Url(value) : value;
    }

    /// <summary>Step parameters as they may be shown and stored; the same keys, in the same comparer when it is a dictionary.</summary>
    public static IReadOnlyDictionary<string, string> Parameters(IReadOnlyDictionary<string, string> parameters)
    {
        ArgumentNullException.ThrowIfNull(parameters);
        var comparer = parameters is Dictionary<string, string> dictionary ? dictionary.Comparer : StringComparer.Ordinal;
        var shown = new Dictionary<string, string>(comparer);
        foreach (var (name, value) in parameters)
        {
            shown[name] = Parameter(name, value);
        }

        return shown;
    }

    /// <summary>
    /// The real parameters of a step that was stored redacted: each stored value that is the redacted form of the
    /// configured value of the same name is taken from <paramref name="configured"/>; every other stays as stored.
    /// </summary>
    /// <returns>The parameters, and the names of secrets the configuration no longer holds (the step must not run on stars).</returns>
    public static (IReadOnlyDictionary<string, string> Parameters, IReadOnlyList<string> Missing) Restore(
        IReadOnlyDictionary<string, string> stored, IReadOnlyDictionary<string, string>? configured)
    {
        ArgumentNullException.ThrowIfNull(stored);
        var real = new Dictionary<string, string>(StringComparer.Ordinal);
        var missing = new List<string>();
        foreach (var (name, value) in stored)
        {
            if (configured is not null && configured.TryGetValue(name, out var configuredValue) && Parameter(name, configuredValue) == value)
            {
                real[name] = configuredValue;
                continue;
            }

            real[name] = value;
            var stillRedacted = IsSecretName(name) ? value == Marker : LooksLikeUrl(value) && value.Contains(Marker, StringComparison.Ordinal);
            if (stillRedacted)
            {
                missing.Add(name);
            }
        }

        return (real, missing);
    }

    private static bool LooksLikeUrl(string value) =>
        value.StartsWith("http://", StringComparison.OrdinalIgnoreCase) || value.StartsWith("https://", StringComparison.OrdinalIgnoreCase);

    // "?a=1&b&c=" keeps its names and shape: "?a=***&b&c=***".
    private static string Query(string query)
    {
        if (query.Length <= 1)
        {
            return "";
        }

        var pairs = query[1..].Split('&').Select(pair => pair.IndexOf('=', StringComparison.Ordinal) is var equals and >= 0 ? pair[..equals] + "=" + Marker : pair);
        return "?" + string.Join('&', pairs);
    }
}
