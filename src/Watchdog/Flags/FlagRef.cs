namespace Watchdog.Flags;

/// <summary>
/// Which flag a step changes: its name, and where the provider's configuration does not say it already, the
/// project and environment (Unleash's terms; a provider without them ignores them).
/// </summary>
internal sealed record FlagRef(string Flag, string? Project = null, string? Environment = null);
