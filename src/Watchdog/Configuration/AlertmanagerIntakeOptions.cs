namespace Watchdog.Configuration;

/// <summary>
/// The Alertmanager webhook intake. With neither a bearer token nor basic auth set, the intake is open
/// (Alertmanager's <c>http_config</c> can send either).
/// </summary>
internal sealed record AlertmanagerIntakeOptions
{
    /// <summary>The bearer token Alertmanager must send (inline or from <c>bearer_token_file</c>). Never log it.</summary>
    public string? BearerToken { get; init; }

    public string? BasicUsername { get; init; }

    /// <summary>Never log it.</summary>
    public string? BasicPassword { get; init; }

    /// <summary>Larger bodies are refused with 413 (default 1 MiB).</summary>
    public long MaxBodyBytes { get; init; } = 1024 * 1024;

    /// <summary>
    /// Received alerts last seen longer ago than this are removed from the store and from memory (default 7 days).
    /// Alertmanager sends a firing alert again every <c>repeat_interval</c>, which renews it, so only alerts that have
    /// stopped coming age out.
    /// </summary>
    public TimeSpan Retention { get; init; } = TimeSpan.FromDays(7);

    /// <summary>
    /// At most this many received alerts are kept (default 100,000); beyond it the earliest received go first, except
    /// alerts still firing and matched to a target, which are kept for <see cref="Retention"/>.
    /// </summary>
    public int MaxAlerts { get; init; } = 100_000;

    public override string ToString() =>
        $"AlertmanagerIntakeOptions {{ BearerToken = {(BearerToken is null ? "" : "***")}, BasicUsername = {BasicUsername}, " +
        $"BasicPassword = {(BasicPassword is null ? "" : "***")}, MaxBodyBytes = {MaxBodyBytes}, " +
        $"Retention = {Retention}, MaxAlerts = {MaxAlerts} }}";
}
