using Watchdog.IntegrationTests.Faults;

namespace Watchdog.IntegrationTests.EndToEnd;

/// <summary>
/// The policies every end-to-end daemon loads. The threshold is one for all: an error rate above 5 % rolls back,
/// so of the sample app's images (Watchdog.Sandbox.Demo.SampleApp) the stable and good ones are healthy and the bad
/// (12 %) and degraded (7 %) ones are not; any number decides, only missing data is inconclusive.
/// </summary>
public static class EndToEndPolicies
{
    /// <summary><c>error_rate</c> (5xx share from the real Prometheus) above 5 % rolls back automatically.</summary>
    public const string ErrorRate = "error-rate";

    /// <summary>The same, but the rollback waits for an on-call engineer's approval.</summary>
    public const string OnCallApproval = "error-rate-on-call";

    /// <summary>Reads only the Alertmanager alert <see cref="EndToEndWorld.AlertName"/>: firing rolls back automatically.</summary>
    public const string AlertOnly = "alert-only";

    public const string Threshold = "0.05";

    /// <summary>The policy files, by file name.</summary>
    internal static IReadOnlyDictionary<string, string> Files { get; } = new Dictionary<string, string>(StringComparer.Ordinal)
    {
        [$"{ErrorRate}.yaml"] = FaultFiles.ThresholdPolicy(ErrorRate, threshold: Threshold),
        [$"{OnCallApproval}.yaml"] = FaultFiles.ThresholdPolicy(OnCallApproval, authority: "on-call", threshold: Threshold),
        [$"{AlertOnly}.yaml"] = FaultFiles.ThresholdPolicy(AlertOnly, signal: $"alert:{EndToEndWorld.AlertName}", threshold: "0"),
    };
}
