using System.Globalization;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Watchdog.Configuration;

namespace Watchdog.Flags.Unleash;

/// <summary>
/// Unleash 8's Admin API (<c>kind: unleash</c>) for one project and environment (a step's <see cref="FlagRef"/> may
/// name others). A rollout is changed by a JSON Patch of <c>/parameters/rollout</c> on each strategy that has one, by
/// id, because a PUT replaces the whole strategy and drops its stickiness and groupId. Enabling an environment that has
/// no strategies is refused: Unleash would add a 100 % rollout to it.
/// </summary>
internal sealed partial class UnleashFlagProvider(FlagProviderOptions options, IHttpClientFactory clients, ILogger logger) : IFlagProvider, IFlagProviderPlugin
{
    private static readonly string[] Keys = ["project", "environment"];

    // Unleash's own rule for names: URL-friendly.
    private static readonly Func<char, bool> NameCharacter = c => char.IsAsciiLetterOrDigit(c) || c is '-' or '_' or '.' or '~';

    // Unleash takes the token as it is ("Bearer " is accepted too, but the documented form is the bare secret).
    private readonly FlagHttp _http = new(options, clients, token => token);

    public static string PluginName => FlagProviderOptions.UnleashKind;

    public static IReadOnlyList<string> ValidateParameters(IReadOnlyDictionary<string, string> parameters)
    {
        ArgumentNullException.ThrowIfNull(parameters);
        var problems = new List<string>();
        foreach (var key in parameters.Keys.Select(k => k.Split('.', 2)[0]).Distinct(StringComparer.Ordinal).Where(k => !Keys.Contains(k, StringComparer.OrdinalIgnoreCase)))
        {
            problems.Add($"{key}: unknown key for kind unleash{ConfigReader.DidYouMean(key, Keys)}");
        }

        if (!parameters.TryGetValue("environment", out var environment) || environment.Length == 0)
        {
            problems.Add("environment: required for kind unleash (the environment whose strategies change, e.g. production)");
        }

        foreach (var key in Keys)
        {
            if (parameters.TryGetValue(key, out var value) && value.Length > 0 && !value.All(NameCharacter))
            {
                problems.Add($"{key}: '{value}' is not an Unleash name (letters, digits, - _ . ~)");
            }
        }

        return problems;
    }

    public static IFlagProvider Create(FlagProviderOptions options, IServiceProvider services) =>
        new UnleashFlagProvider(
            options,
            services.GetRequiredService<IHttpClientFactory>(),
            services.GetService<ILoggerFactory>()?.CreateLogger<UnleashFlagProvider>() ?? NullLogger<UnleashFlagProvider>.Instance);

    public string Name => options.Name;

    public async Task<FlagState> ReadAsync(FlagRef flag, CancellationToken cancellationToken)
    {
        var (environment, project) = await ReadEnvironmentAsync(flag, cancellationToken);
        foreach (var odd in environment.Strategies.Where(s => s.RolloutText is not null && s.Percent is null))
        {
            // Unleash checks nothing ("150" and "abc" are stored as written); such a strategy is reduced like any
            // other, but its exposure cannot be told.
            LogUnreadableRollout(logger, options.Name, flag.Flag, project, environment.Name, odd.Id, odd.RolloutText!);
        }

        return new FlagState(flag.Flag, environment.Name, environment.Enabled, [.. environment.Strategies.Select(s => new FlagStrategy(s.Id, s.Name, s.Percent))]);
    }

    public async Task SetRolloutAsync(FlagRef flag, int percent, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(flag);
        if (percent is < 0 or > 100)
        {
            throw _http.Problem($"rollout percentage {percent.ToString(CultureInfo.InvariantCulture)} for {flag.Flag} is outside 0-100");
        }

        var (environment, project) = await ReadEnvironmentAsync(flag, cancellationToken);

        // Every strategy with a rollout parameter, a readable one or not: "150" still serves everyone, and must come down too.
        var value = percent.ToString(CultureInfo.InvariantCulture);
        var patch = JsonSerializer.Serialize(new[] { new { op = "replace", path = "/parameters/rollout", value } });
        foreach (var strategy in environment.Strategies.Where(s => s.RolloutText is not null))
        {
            var url = _http.UrlOf($"{EnvironmentPath(project, flag.Flag, environment.Name)}/strategies/{Uri.EscapeDataString(strategy.Id)}");
            await _http.SendAsync(HttpMethod.Patch, url, patch, headers: null, cancellationToken);
        }
    }

    public async Task SetEnabledAsync(FlagRef flag, bool enabled, CancellationToken cancellationToken)
    {
        var (environment, project) = await ReadEnvironmentAsync(flag, cancellationToken);
        if (enabled && environment.Strategies.Count == 0)
        {
            throw _http.Problem($"refusing to enable {flag.Flag} in {environment.Name} (project {project}): it has no strategies there, and Unleash would add a 100 % rollout");
        }

        var url = _http.UrlOf($"{EnvironmentPath(project, flag.Flag, environment.Name)}/{(enabled ? "on" : "off")}");
        await _http.SendAsync(HttpMethod.Post, url, json: null, headers: null, cancellationToken);
    }

    private async Task<(UnleashFeatureParser.Environment Environment, string Project)> ReadEnvironmentAsync(FlagRef flag, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(flag);
        var project = flag.Project ?? options.Parameters.GetValueOrDefault("project", "default");
        var name = flag.Environment ?? options.Parameters.GetValueOrDefault("environment", "");
        var url = _http.UrlOf(FeaturePath(project, flag.Flag));
        var body = await _http.SendAsync(HttpMethod.Get, url, json: null, headers: null, cancellationToken);
        IReadOnlyList<UnleashFeatureParser.Environment> environments;
        try
        {
            environments = UnleashFeatureParser.Environments(body.Bytes);
        }
        catch (JsonException e)
        {
            throw _http.Garbage(HttpMethod.Get, url, "an Unleash feature (environments with enabled and strategies)", body, e);
        }

        return (environments.FirstOrDefault(e => string.Equals(e.Name, name, StringComparison.Ordinal))
            ?? throw _http.Problem($"flag {flag.Flag} in project {project} has no environment '{name}' (it has: {string.Join(", ", environments.Select(e => e.Name))})"), project);
    }

    private static string FeaturePath(string project, string flag) =>
        $"/api/admin/projects/{Uri.EscapeDataString(project)}/features/{Uri.EscapeDataString(flag)}";

    private static string EnvironmentPath(string project, string flag, string environment) =>
        $"{FeaturePath(project, flag)}/environments/{Uri.EscapeDataString(environment)}";

    [LoggerMessage(Level = LogLevel.Warning, Message = "Flag provider {Provider}: flag {Flag} (project {Project}, environment {Environment}) has strategy {StrategyId} with rollout '{Rollout}', not a whole number 0-100; a reduction sets it too")]
    private static partial void LogUnreadableRollout(ILogger logger, string provider, string flag, string project, string environment, string strategyId, string rollout);
}
