using Watchdog.Tests.TestSupport;

namespace Watchdog.Tests.Signals.Alerts;

/// <summary>The webhook bodies captured from a real Alertmanager 0.25 (tests/fixtures/alertmanager/, copies of shared/fixtures/alertmanager/), and variations of them.</summary>
internal static class AlertFixtures
{
    public const string Fingerprint = "ce9c48e008abdf90";
    public static readonly DateTimeOffset StartsAt = new(2026, 11, 22, 5, 25, 21, 836, TimeSpan.Zero);
    public static readonly DateTimeOffset ResolvedEndsAt = new(2026, 11, 22, 5, 25, 23, 836, TimeSpan.Zero);

    // First: the payloads below are read from it as the class initialises.
    public static string Directory { get; } = RepositoryPaths.Of("tests", "fixtures", "alertmanager");

    public static string Firing { get; } = Read("alertmanager-webhook-firing.json");

    public static string Resolved { get; } = Read("alertmanager-webhook-resolved.json");

    /// <summary>The firing body byte for byte as Alertmanager sent it: compact JSON and a trailing newline.</summary>
    public static string FiringRaw { get; } = Read("alertmanager-webhook-firing.raw");

    /// <summary>The firing fixture with another <c>service</c> label (and so another fingerprint).</summary>
    public static string FiringFor(string service, string fingerprint) => Firing
        .Replace("\"service\": \"checkout\"", $"\"service\": \"{service}\"", StringComparison.Ordinal)
        .Replace(Fingerprint, fingerprint, StringComparison.Ordinal);

    private static string Read(string name) => File.ReadAllText(Path.Combine(Directory, name));
}
