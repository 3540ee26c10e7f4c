using Microsoft.Extensions.Configuration;
using Watchdog.Rules;

namespace Watchdog.Configuration;

/// <summary>The <c>sources</c> section: Prometheus, the Alertmanager intake, and the secrets both may read from files.</summary>
internal sealed class SourcesOptionsReader(ConfigReader reader)
{
    // A Prometheus answer past 1 GiB is a query to fix (or a recording rule to write), not a limit to raise.
    private const int MaxResponseLimit = 1024 * 1024 * 1024;

    private static readonly string[] SourcesKeys = ["prometheus", "alertmanager", "deadline"];
    private static readonly string[] PrometheusKeys = ["url", "timeout", "method", "bearer_token", "bearer_token_file", "basic_auth", "headers", "max_response_bytes"];
    private static readonly string[] BasicAuthKeys = ["username", "password", "password_file"];
    private static readonly string[] AlertmanagerKeys = ["bearer_token", "bearer_token_file", "basic_auth", "max_body_bytes", "retention", "max_alerts"];

    private static readonly TimeSpan MinAlertRetention = TimeSpan.FromHours(1);

    public SourcesOptions Read(IConfiguration root)
    {
        var sources = reader.Mapping(root, "sources", SourcesKeys);
        var fallback = new SourcesOptions();
        return sources is null
            ? fallback
            : new SourcesOptions
            {
                Prometheus = ReadPrometheus(sources),
                Alertmanager = ReadAlertmanager(sources),
                Deadline = reader.Duration(sources, "deadline", fallback.Deadline),
            };
    }

    private AlertmanagerIntakeOptions ReadAlertmanager(IConfiguration sources)
    {
        var intake = reader.Mapping(sources, "alertmanager", AlertmanagerKeys);
        var fallback = new AlertmanagerIntakeOptions();
        if (intake is null)
        {
            return fallback;
        }

        var (username, password) = ReadBasicAuth(intake);
        var token = ReadSecret(intake, "bearer_token", "bearer_token_file");
        if (token is not null && username is not null)
        {
            reader.Error(intake.Path, "set a bearer token or basic_auth, not both");
        }

        var limit = reader.Int(intake, "max_body_bytes", (int)fallback.MaxBodyBytes, 1024, 64 * 1024 * 1024);
        var retention = reader.Duration(intake, "retention", fallback.Retention);
        if (retention < MinAlertRetention)
        {
            // Shorter than Alertmanager's repeat_interval (4h by default) would drop alerts that are still firing.
            reader.Error(ConfigReader.KeyOf(intake, "retention"), $"must be at least {DurationText.Format(MinAlertRetention)}: Alertmanager sends a firing alert again only every repeat_interval (4h by default)");
            retention = fallback.Retention;
        }

        // Fewer than 100 is no memory worth saving; past ten million the load at start alone takes gigabytes.
        var maxAlerts = reader.Int(intake, "max_alerts", fallback.MaxAlerts, 100, 10_000_000);
        return new AlertmanagerIntakeOptions
        {
            BearerToken = token,
            BasicUsername = username,
            BasicPassword = password,
            MaxBodyBytes = limit,
            Retention = retention,
            MaxAlerts = maxAlerts,
        };
    }

    // A secret written inline or read from a file (trimmed); at most one of the two.
    private string? ReadSecret(IConfiguration section, string inlineKey, string fileKey)
    {
        var inline = reader.Text(section, inlineKey);
        var file = reader.FilePath(section, fileKey, mustExist: true);
        if (inline is not null && file is not null)
        {
            reader.Error(ConfigReader.KeyOf(section, inlineKey), $"set at most one of {inlineKey} and {fileKey}");
        }

        return file is not null && File.Exists(file) ? File.ReadAllText(file).Trim() : inline;
    }

    private (string? Username, string? Password) ReadBasicAuth(IConfiguration section)
    {
        var basic = reader.Mapping(section, "basic_auth", BasicAuthKeys);
        if (basic is null)
        {
            return (null, null);
        }

        var username = reader.Text(basic, "username", required: true);
        var password = ReadSecret(basic, "password", "password_file");
        if (password is null)
        {
            reader.Error(basic.Path, "basic_auth needs password or password_file");
        }

        return (username, password);
    }

    private PrometheusSourceOptions? ReadPrometheus(IConfiguration sources)
    {
        var prometheus = reader.Mapping(sources, "prometheus", PrometheusKeys);
        if (prometheus is null)
        {
            return null;
        }

        var token = reader.Text(prometheus, "bearer_token");
        var tokenFile = reader.FilePath(prometheus, "bearer_token_file", mustExist: true);
        if (token is not null && tokenFile is not null)
        {
            reader.Error(prometheus.Path, "set at most one of bearer_token and bearer_token_file");
        }

        var defaults = new PrometheusSourceOptions();
        var (username, password) = ReadBasicAuth(prometheus);
        if (username is not null && (token is not null || tokenFile is not null))
        {
            reader.Error(prometheus.Path, "set a bearer token or basic_auth, not both");
        }

        return new PrometheusSourceOptions
        {
            Url = reader.HttpUrl(prometheus, "url", required: true, userinfoHint: "use basic_auth (username, password_file) instead") ?? defaults.Url,
            Timeout = reader.Duration(prometheus, "timeout", defaults.Timeout),
            Method = reader.Choice(prometheus, "method", ["GET", "POST"], ["GET", "POST"], defaults.Method),
            BasicUsername = username,
            BasicPassword = password,
            BearerToken = token,
            BearerTokenFile = tokenFile,
            Headers = reader.StringMap(reader.Entries(prometheus, "headers"), StringComparer.OrdinalIgnoreCase),
            MaxResponseBytes = reader.Int(prometheus, "max_response_bytes", (int)defaults.MaxResponseBytes, 1024, MaxResponseLimit),
        };
    }
}
