using Watchdog.Rules;
using Watchdog.Secrets;

namespace Watchdog.Configuration;

internal sealed record PrometheusSourceOptions
{
    /// <summary>
    /// The signal source kind this section serves (<c>signals.X.source: prometheus</c>); the Prometheus source
    /// declares it as its name, and the cross checks require this section for the signals of that kind.
    /// </summary>
    public const string SignalSource = "prometheus";

    /// <summary>The Prometheus server, e.g. <c>http://127.0.0.1:9090</c>.</summary>
    public Uri Url { get; init; } = new("http://127.0.0.1:9090");

    /// <summary>How long one query may take (default 10 s).</summary>
    public TimeSpan Timeout { get; init; } = TimeSpan.FromSeconds(10);

    /// <summary><c>GET</c> (default) or <c>POST</c> (form body, for long queries).</summary>
    public string Method { get; init; } = "GET";

    /// <summary>Basic auth user name, with <see cref="BasicPassword"/>; an alternative to a bearer token.</summary>
    public string? BasicUsername { get; init; }

    /// <summary>Basic auth password (read from <c>basic_auth.password_file</c> or written inline). Never log it.</summary>
    public string? BasicPassword { get; init; }

    /// <summary>A bearer token written inline. Never log it.</summary>
    public string? BearerToken { get; init; }

    /// <summary>A file holding the bearer token (full path).</summary>
    public string? BearerTokenFile { get; init; }

    /// <summary>The largest answer read (default 10 MiB); a larger one is a source error, never a breach.</summary>
    public long MaxResponseBytes { get; init; } = 10 * 1024 * 1024;

    /// <summary>Extra request headers, e.g. <c>X-Scope-OrgID</c> for a multi-tenant Mimir or Thanos.</summary>
    public IReadOnlyDictionary<string, string> Headers { get; init; } = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);

    // Header values can be credentials too, so only their names are printed.
    public override string ToString() =>
        $"PrometheusSourceOptions {{ Url = {Redaction.Url(Url)}, Method = {Method}, Timeout = {DurationText.Format(Timeout)}, MaxResponseBytes = {MaxResponseBytes}, BearerToken = {(BearerToken is null ? "" : "***")}, " +
        $"BasicUsername = {BasicUsername}, BasicPassword = {(BasicPassword is null ? "" : "***")}, " +
        $"BearerTokenFile = {BearerTokenFile}, Headers = [{string.Join(", ", Headers.Keys)}] }}";
}
