namespace Watchdog.Configuration;

/// <summary>
/// Which signals a target watches, as the configuration says: those in the <c>signals</c> catalogue, and Alertmanager
/// signals for a target with alert matchers; a <c>health</c> signal only for a target with health endpoints. The rest
/// are not watched: conditions over them are not applicable.
/// </summary>
internal static class WatchedSignals
{
    private const string AlertPrefix = "alert:";

    public static bool IsWatched(WatchdogOptions options, TargetOptions target, string signal)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(target);
        ArgumentNullException.ThrowIfNull(signal);
        return signal.StartsWith(AlertPrefix, StringComparison.Ordinal)
            ? target.AlertMatchers.Count > 0
            : options.Signals.TryGetValue(signal, out var definition)
                && (definition.Source != HealthCheckOptions.SignalSource || target.Health.Count > 0);
    }

    /// <summary>One line per target that has rules not applicable to it, e.g. <c>targets[0] payments: not applicable (signals it does not watch): cpu-saturated</c>.</summary>
    public static IEnumerable<string> NotApplicableLines(ConfigLoadResult config)
    {
        ArgumentNullException.ThrowIfNull(config);
        if (config.Options is not { } options)
        {
            yield break;
        }

        for (var i = 0; i < options.Targets.Count; i++)
        {
            var target = options.Targets[i];
            if (config.Policies.TryGetValue(target.Policy, out var policy)
                && policy.NotApplicableFor(signal => IsWatched(options, target, signal)) is { Count: > 0 } rules)
            {
                yield return $"targets[{i}] {target.Name}: not applicable (signals it does not watch): {string.Join(", ", rules)}";
            }
        }
    }
}
