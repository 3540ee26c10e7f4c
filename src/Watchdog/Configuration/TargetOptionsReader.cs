using System.Text.RegularExpressions;
using Microsoft.Extensions.Configuration;
using Watchdog.Plugins;
using Watchdog.Rules;

namespace Watchdog.Configuration;

/// <summary>Reads <c>targets</c>: names, policy, timing, variables, health endpoints and plans.</summary>
internal sealed partial class TargetOptionsReader(ConfigReader reader, DefaultsOptions defaults, PluginRegistry plugins)
{
    private static readonly string[] TargetKeys =
        ["name", "policy", "interval", "dry_run", "variables", "health", "plans", "environment", "cooldown", "max_actions_per_hour", "recovery_window", "verify_window", "alerts"];
    private static readonly string[] AlertKeys = ["match"];
    private static readonly IReadOnlyDictionary<string, string> EmptyLabels = new Dictionary<string, string>(StringComparer.Ordinal);
    private static readonly string[] HealthKeys = ["url", "method", "expect_status", "body_contains", "timeout", "max_body_bytes"];

    public List<TargetOptions> Read(IConfiguration root)
    {
        var targets = new List<TargetOptions>();
        var names = new Dictionary<string, string>(StringComparer.Ordinal);
        var items = reader.Items(root, "targets");
        if (items.Count == 0)
        {
            reader.Warning("targets", "no targets: Watchdog has nothing to watch");
        }

        foreach (var item in items)
        {
            if (item.Value is not null)
            {
                reader.Error(item.Path, "expected a target (a mapping with name and policy), not a single value");
                continue;
            }

            reader.CheckKeys(item, TargetKeys);
            var name = reader.Text(item, "name", required: true) ?? "";
            if (name.Length > 0 && !TargetName().IsMatch(name))
            {
                reader.Error(ConfigReader.KeyOf(item, "name"), $"'{name}' is not a valid target name (lower-case letters, digits, '.', '_' and '-', starting with a letter or digit)");
            }
            else if (name.Length > 0 && !names.TryAdd(name, item.Path))
            {
                reader.Error(ConfigReader.KeyOf(item, "name"), $"duplicate target name '{name}' (also at {ConfigOrigins.DisplayPath(names[name])})");
            }

            targets.Add(new TargetOptions
            {
                Name = name,
                Policy = reader.Text(item, "policy", required: true) ?? "",
                Interval = reader.Duration(item, "interval", defaults.Interval),
                DryRun = reader.Bool(item, "dry_run", defaults.DryRun),
                Environment = reader.Text(item, "environment"),
                Cooldown = reader.Duration(item, "cooldown", defaults.Cooldown, allowZero: true),
                MaxActionsPerHour = reader.Int(item, "max_actions_per_hour", defaults.MaxActionsPerHour, 1, 1000),
                RecoveryWindow = reader.Duration(item, "recovery_window", defaults.RecoveryWindow),
                VerifyWindow = reader.Duration(item, "verify_window", defaults.VerifyWindow),
                Variables = reader.StringMap(reader.Entries(item, "variables"), StringComparer.Ordinal),
                Health = [.. reader.Items(item, "health").Select(ReadHealthCheck).OfType<HealthCheckOptions>()],
                Plans = ReadPlans(item),
                AlertMatchers = ReadAlertMatchers(item),
            });
        }

        return targets;
    }

    private HealthCheckOptions? ReadHealthCheck(IConfigurationSection item)
    {
        if (item.Value is not null)
        {
            reader.Error(item.Path, "expected a health check (a mapping with url), not a single value");
            return null;
        }

        reader.CheckKeys(item, HealthKeys);
        var fallback = new HealthCheckOptions();
        var method = reader.Text(item, "method") ?? fallback.Method;
        if (!HttpMethodName().IsMatch(method))
        {
            reader.Error(ConfigReader.KeyOf(item, "method"), $"'{method}' is not an HTTP method (e.g. GET, HEAD, POST)");
        }

        var expect = reader.Text(item, "expect_status");
        var range = fallback.ExpectStatus;
        if (expect is not null && !StatusCodeRange.TryParse(expect, out range))
        {
            reader.Error(ConfigReader.KeyOf(item, "expect_status"), $"'{expect}' is not a status code or range between 100 and 599 (e.g. 200 or 200-299)");
        }

        return new HealthCheckOptions
        {
            Url = reader.HttpUrl(item, "url", required: true, userinfoHint: "a health probe sends no credentials, so probe an endpoint that needs none (or a Prometheus signal with basic_auth)") ?? fallback.Url,
            Method = method.ToUpperInvariant(),
            ExpectStatus = range,
            BodyContains = reader.Text(item, "body_contains"),
            Timeout = reader.Duration(item, "timeout", fallback.Timeout),
            MaxBodyBytes = reader.Int(item, "max_body_bytes", (int)fallback.MaxBodyBytes, 1024, 16 * 1024 * 1024),
        };
    }

    private Dictionary<string, string> ReadAlertMatchers(IConfigurationSection target)
    {
        var alerts = reader.Mapping(target, "alerts", AlertKeys);
        if (alerts is null)
        {
            return new Dictionary<string, string>(StringComparer.Ordinal);
        }

        var matchers = reader.StringMap(reader.Entries(alerts, "match"), StringComparer.Ordinal);
        var match = ConfigReader.KeyOf(alerts, "match");
        if (matchers.Count == 0)
        {
            reader.Error(match, "required: the labels (label: value) an alert must carry to belong to this target");
            return matchers;
        }

        var parsed = new List<LabelMatcher>();
        foreach (var (label, text) in matchers)
        {
            var (matcher, error) = LabelMatcher.Parse(label, text);
            if (error is not null)
            {
                reader.Error(ConfigurationPath.Combine(match, label), error);
            }
            else
            {
                parsed.Add(matcher!);
            }
        }

        // A target whose matchers all hold for an alert without labels would take every alert of every service.
        if (parsed.Count == matchers.Count && parsed.TrueForAll(m => m.Matches(EmptyLabels)))
        {
            reader.Error(match, "these matchers also hold for an alert with no labels, so every alert would belong to this target; add one that needs a label (label: value or label: \"=~regex\")");
        }

        return matchers;
    }

    private Dictionary<DecisionAction, IReadOnlyList<PlanStepOptions>> ReadPlans(IConfigurationSection target)
    {
        var plans = new Dictionary<DecisionAction, IReadOnlyList<PlanStepOptions>>();
        foreach (var plan in reader.Entries(target, "plans"))
        {
            if (!DecisionActions.TryParse(plan.Key, out var action))
            {
                reader.Error(plan.Path, $"'{plan.Key}' is not an action (expected one of: {string.Join(", ", DecisionActions.AllNames)}){ConfigReader.DidYouMean(plan.Key, DecisionActions.AllNames)}");
                continue;
            }

            var steps = new List<PlanStepOptions>();
            foreach (var step in reader.Items(target.GetSection("plans"), plan.Key))
            {
                if (step.Value is not null)
                {
                    reader.Error(step.Path, "expected a step (a mapping with action), not a single value");
                    continue;
                }

                var name = reader.Text(step, "action", required: true) ?? "";
                var parameters = PlanStepParameters.Read(reader, step);
                CheckStep(step, name, parameters);
                steps.Add(new PlanStepOptions { Action = name, Parameters = parameters });
            }

            plans[action] = steps;
        }

        return plans;
    }

    // A step must name a registered action with valid parameters; a name that arrives with a later version is
    // a warning (the step fails when run), anything else is a typo and an error.
    private void CheckStep(IConfigurationSection step, string name, IReadOnlyDictionary<string, string> parameters)
    {
        if (name.Length == 0)
        {
            return;
        }

        if (plugins.Find(PluginKind.Action, name) is { } action)
        {
            foreach (var problem in action.ValidateParameters(parameters))
            {
                reader.Error(step.Path, problem);
            }
        }
        else if (plugins.IsAnnounced(PluginKind.Action, name))
        {
            reader.Warning(ConfigReader.KeyOf(step, "action"), $"action '{name}' is not available in this version yet; this step fails if it runs");
        }
        else
        {
            var available = plugins.Names(PluginKind.Action);
            var known = available.Concat(plugins.Announced(PluginKind.Action));
            reader.Error(ConfigReader.KeyOf(step, "action"), $"unknown action '{name}' (available: {string.Join(", ", available)}){ConfigReader.DidYouMean(name, known)}");
        }
    }

    [GeneratedRegex("^[a-z0-9][a-z0-9._-]*$")]
    private static partial Regex TargetName();

    [GeneratedRegex("^[A-Za-z]+$")]
    private static partial Regex HttpMethodName();
}
