namespace Watchdog.Signals.Health;

/// <summary>One probe of one endpoint: its verdict and, unless it passed, why (shown in explanations, never a secret).</summary>
internal readonly record struct HealthProbeOutcome(HealthProbeVerdict Verdict, string? Reason)
{
    public static HealthProbeOutcome Pass { get; } = new(HealthProbeVerdict.Passed, null);

    public bool Passed => Verdict == HealthProbeVerdict.Passed;

    public static HealthProbeOutcome Fail(string why) => new(HealthProbeVerdict.Failed, why);

    public static HealthProbeOutcome Unjudged(string why) => new(HealthProbeVerdict.Unjudged, why);
}
