namespace Watchdog.Signals.Health;

/// <summary>One probe of one endpoint: passed, or failed and why (for the log, never a secret).</summary>
internal readonly record struct HealthProbeOutcome(bool Passed, string? Failure)
{
    public static HealthProbeOutcome Pass { get; } = new(true, null);

    public static HealthProbeOutcome Fail(string why) => new(false, why);
}
