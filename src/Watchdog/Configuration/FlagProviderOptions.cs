using System.Globalization;
using Watchdog.Rules;
using Watchdog.Secrets;

namespace Watchdog.Configuration;

/// <summary>One <c>flags:</c> entry: a feature-flag service the flag actions change flags through.</summary>
internal sealed record FlagProviderOptions
{
    /// <summary>The kind that needs a token and an environment; the Unleash provider declares it as its name.</summary>
    public const string UnleashKind = "unleash";

    /// <summary>What a step's <c>provider:</c> and the incident call this provider.</summary>
    public string Name { get; init; } = "";

    /// <summary>The registered provider kind (<c>unleash</c>, <c>http</c>).</summary>
    public string Kind { get; init; } = UnleashKind;

    /// <summary>The service's base URL; paths are appended to it, so it may carry a path prefix of its own.</summary>
    public Uri Url { get; init; } = new("http://127.0.0.1:4242/");

    /// <summary>The token written inline. Never log it.</summary>
    public string? Token { get; init; }

    /// <summary>A file holding the token (full path), read at every call, so a rotated token is picked up.</summary>
    public string? TokenFile { get; init; }

    /// <summary>An environment variable holding the token, read at every call.</summary>
    public string? TokenEnv { get; init; }

    /// <summary>How long one call may take, answer included (default 10 s).</summary>
    public TimeSpan Timeout { get; init; } = TimeSpan.FromSeconds(10);

    /// <summary>The largest answer read (default 1 MiB); a flag's state is a few KiB.</summary>
    public long MaxResponseBytes { get; init; } = 1024 * 1024;

    /// <summary>
    /// Every other key, as text, checked by the kind's own validator (Unleash's <c>project</c> and <c>environment</c>,
    /// the http kind's <c>method</c>, paths, <c>headers.NAME</c> and <c>fields.NAME</c>).
    /// </summary>
    public IReadOnlyDictionary<string, string> Parameters { get; init; } = new Dictionary<string, string>(StringComparer.Ordinal);

    /// <summary>
    /// The token as it is now, or null when none is configured.
    /// </summary>
    /// <exception cref="InvalidOperationException">The file cannot be read or the variable is unset; the message names them, never a value.</exception>
    public string? ReadToken()
    {
        if (Token is not null)
        {
            return Token;
        }

        if (TokenFile is { } file)
        {
            try
            {
                return File.ReadAllText(file).Trim();
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                throw new InvalidOperationException($"flag provider '{Name}': cannot read token_file {file}: {e.Message}", e);
            }
        }

        if (TokenEnv is { } variable)
        {
            return Environment.GetEnvironmentVariable(variable) is { Length: > 0 } value
                ? value.Trim()
                : throw new InvalidOperationException($"flag provider '{Name}': environment variable {variable} (token_env) is not set");
        }

        return null;
    }

    // The compiler-generated ToString would print the token; parameters whose name looks secret (headers.Authorization) are masked too.
    public override string ToString() =>
        $"FlagProviderOptions {{ Name = {Name}, Kind = {Kind}, Url = {Redaction.Url(Url)}, Token = {(Token is null ? "" : Redaction.Marker)}, TokenFile = {TokenFile}, TokenEnv = {TokenEnv}, " +
        $"Timeout = {DurationText.Format(Timeout)}, MaxResponseBytes = {MaxResponseBytes.ToString(CultureInfo.InvariantCulture)}, " +
        $"Parameters = [{string.Join(", ", Parameters.OrderBy(p => p.Key, StringComparer.Ordinal).Select(p => $"{p.Key} = {(p.Key.StartsWith("headers.", StringComparison.Ordinal) ? Redaction.Marker : Redaction.Parameter(p.Key, p.Value))}"))}] }}";
}
