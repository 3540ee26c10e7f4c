namespace Watchdog.Configuration;

/// <summary>
/// The Alertmanager webhook intake. With neither a bearer token nor basic auth set, the intake is open
/// (Alertmanager's <c>http_config</c> can send either).
/// </summary>
public sealed record AlertmanagerIntakeOptions
{
    /// <summary>The bearer token Alertmanager must send (inline or from <c>bearer_token_file</c>). Never log it.</summary>
    public string? BearerToken { get; init; }

    public string? BasicUsername { get; init; }

    /// <summary>Never log it.</summary>
    public string? BasicPassword { get; init; }

    /// <summary>Larger bodies are refused with 413 (default 1 MiB).</summary>
    public long MaxBodyBytes { get; init; } = 1024 * 1024;

    public override string ToString() =>
        $"AlertmanagerIntakeOptions {{ BearerToken = {(BearerToken is null ? "" : "***")}, BasicUsername = {BasicUsername}, " +
        $"BasicPassword = {(BasicPassword is null ? "" : "***")}, MaxBodyBytes = {MaxBodyBytes} }}";
}
