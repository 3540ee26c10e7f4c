using Watchdog.Plugins;
using Watchdog.Rules;

namespace Watchdog.Configuration;

/// <summary>Checks that need more than one section: targets against policies, policies against the signal catalogue.</summary>
internal static class ConfigCrossChecks
{
    private const string AlertPrefix = "alert:";

    /// <param name="broken">Names of the policies whose files have errors: a target naming one is told so, not that it is unknown.</param>
    /// <param name="plugins">The registry the steps were checked against; with it, a flag step's provider is checked against <c>flags:</c>.</param>
    public static void Run(
        WatchdogOptions options, IReadOnlyDictionary<string, CompiledPolicy> policies, ConfigReader reader, IReadOnlySet<string>? broken = null, PluginRegistry? plugins = null)
    {
        if (plugins is not null)
        {
            CheckFlagSteps(options, plugins, reader);
        }

        if (options.Sources.Prometheus is null)
        {
            foreach (var signal in options.Signals.Values.Where(s => s.Source == PrometheusSourceOptions.SignalSource))
            {
                reader.Error($"signals:{signal.Name}:source", "source prometheus needs sources.prometheus (its url)");
            }
        }

        // A policy shared by several targets has each misspelt signal reported once, at the condition that reads it.
        var reported = new HashSet<SignalUse>();
        for (var i = 0; i < options.Targets.Count; i++)
        {
            var target = options.Targets[i];
            var key = $"targets:{i}";
            if (target.Policy.Length == 0)
            {
                continue;
            }

            if (!policies.TryGetValue(target.Policy, out var policy) && broken?.Contains(target.Policy) == true)
            {
                // Its file's own errors (listed before the config file's) say what to fix; "unknown" would send the reader looking for a typo.
                reader.Error($"{key}:policy", $"policy '{target.Policy}' has errors (above)");
                continue;
            }

            if (policy is null)
            {
                reader.Error($"{key}:policy", $"unknown policy '{target.Policy}'{ConfigReader.DidYouMean(target.Policy, policies.Keys.Concat(broken ?? Enumerable.Empty<string>()))}");
                continue;
            }

            CheckSignals(target, key, policy, options.Signals, reader, reported);
        }

        CheckProbeTimeouts(options, reader);
    }

    // A flag step that names no configured provider would fail only when it runs, in the middle of an incident.
    private static void CheckFlagSteps(WatchdogOptions options, PluginRegistry plugins, ConfigReader reader)
    {
        for (var i = 0; i < options.Targets.Count; i++)
        {
            foreach (var (action, steps) in options.Targets[i].Plans)
            {
                for (var j = 0; j < steps.Count; j++)
                {
                    if (plugins.Find(PluginKind.Action, steps[j].Action) is { ChangesFlags: true }
                        && FlagProviderReference.Problem(options.Flags, steps[j].Parameters.GetValueOrDefault("provider")) is { } problem)
                    {
                        var step = $"targets:{i}:plans:{action.ToName()}:{j}";
                        reader.Error(steps[j].Parameters.ContainsKey("provider") ? $"{step}:provider" : $"{step}:action", problem);
                    }
                }
            }
        }
    }

    // A probe is cut off by the cycle's deadline (the target's interval, capped by sources.deadline). If its own
    // timeout is not shorter, a service that hangs is never "no answer within the timeout" (failed) but "the source
    // did not answer" (unknown): the hang that should roll back leaves the decision inconclusive.
    private static void CheckProbeTimeouts(WatchdogOptions options, ConfigReader reader)
    {
        for (var i = 0; i < options.Targets.Count; i++)
        {
            var target = options.Targets[i];
            var deadline = target.Interval < options.Sources.Deadline ? target.Interval : options.Sources.Deadline;
            for (var j = 0; j < target.Health.Count; j++)
            {
                var timeout = target.Health[j].Timeout;
                if (timeout >= deadline)
                {
                    reader.Warning(
                        $"targets:{i}:health:{j}:timeout",
                        $"timeout {DurationText.Format(timeout)} is not shorter than the cycle's deadline {DurationText.Format(deadline)} (the target's interval, at most sources.deadline): an endpoint that hangs is cut off by the cycle and counts as unknown, not as failed; make the timeout shorter");
                }
            }
        }
    }

    private static void CheckSignals(
        TargetOptions target,
        string key,
        CompiledPolicy policy,
        IReadOnlyDictionary<string, SignalOptions> catalogue,
        ConfigReader reader,
        HashSet<SignalUse> reported)
    {
        var missing = new Dictionary<string, List<string>>(StringComparer.Ordinal);
        foreach (var name in policy.Signals)
        {
            if (!catalogue.TryGetValue(name, out var signal))
            {
                // Alertmanager signals arrive by push and need no catalogue entry. A name close to one the catalogue
                // has is a misspelling; any other may come from a signal source added to the host, so it stays a warning.
                if (name.StartsWith(AlertPrefix, StringComparison.Ordinal))
                {
                    continue;
                }

                if (Suggestions.Closest(name, catalogue.Keys) is { } near)
                {
                    MisspeltSignal(name, near, key, policy, reader, reported);
                }
                else
                {
                    reader.Warning($"{key}:policy", $"policy '{policy.Name}' reads signal '{name}', which is not in signals: no source watches it, so its rules are not applicable");
                }

                continue;
            }

            if (signal.Source == HealthCheckOptions.SignalSource && target.Health.Count == 0)
            {
                reader.Warning($"{key}:health", $"policy '{policy.Name}' reads health signal '{name}', but the target has no health endpoints: it will always be no data");
            }

            foreach (var variable in QueryTemplate.VariablesIn(signal.Query ?? ""))
            {
                if (variable != QueryTemplate.TargetVariable && !target.Variables.ContainsKey(variable))
                {
                    missing.TryAdd(variable, []);
                    missing[variable].Add(name);
                }
            }
        }

        // One error per variable, not per query: four signals missing `namespace` is one fix.
        foreach (var (variable, signals) in missing)
        {
            reader.Error($"{key}:variables", $"missing variable '{variable}', used by the query of {(signals.Count == 1 ? "signal" : "signals")} {string.Join(", ", signals)} (read by policy '{policy.Name}')");
        }
    }

    // Nothing measures the misspelt name, so its condition would be no data for ever: as a warning it went unseen
    // until the rollback it should have made did not happen.
    private static void MisspeltSignal(string name, string near, string key, CompiledPolicy policy, ConfigReader reader, HashSet<SignalUse> reported)
    {
        var message = $"unknown signal '{name}' (did you mean '{near}'?)";
        var uses = policy.Definition.SignalUses.Where(u => u.Signal == name).ToList();
        if (uses.Count == 0)
        {
            reader.Error($"{key}:policy", $"policy '{policy.Name}' reads {message}");
            return;
        }

        foreach (var use in uses.Where(reported.Add))
        {
            reader.Errors.Add(new ConfigError(use.File, use.Line, use.Path, message));
        }
    }
}
