using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using Watchdog.IntegrationTests.Servers;
using Xunit.Abstractions;

namespace Watchdog.IntegrationTests.Flags;

/// <summary>
/// A flag-only target as the end-to-end flag tests run it: a flag of its own in the real Unleash, on in production
/// with one <c>flexibleRollout</c> at 100 % (stickiness and groupId set, so a test sees they survive), its error
/// ratio a gauge the test sets on the app the real Prometheus scrapes, and a daemon that watches it under the
/// runbook's flag rule (flag-guard's, without its <c>for: 30s</c>) and reduces it through the <c>unleash</c> provider
/// with the plan the test writes.
/// </summary>
internal sealed class FlagGuardedTarget
{
    public const string Environment = "production";

    /// <summary>The flag's strategy parameters other than the rollout, which a reduction must keep.</summary>
    public const string Stickiness = "userId";

    private const string TokenVariable = "WATCHDOG_TEST_UNLEASH_TOKEN";

    private readonly UnleashServer _unleash;
    private readonly PrometheusServer _prometheus;

    private FlagGuardedTarget(UnleashServer unleash, PrometheusServer prometheus, string flag)
    {
        _unleash = unleash;
        _prometheus = prometheus;
        Flag = flag;
    }

    /// <summary>The flag's name, which is the target's name too.</summary>
    public string Flag { get; }

    public string GroupId => $"{Flag}-group";

    /// <summary>Creates the flag at 100 % and serves its error ratio at <paramref name="errorRatio"/>.</summary>
    public static async Task<FlagGuardedTarget> CreateAsync(UnleashServer unleash, PrometheusServer prometheus, double errorRatio)
    {
        var target = new FlagGuardedTarget(unleash, prometheus, $"e2e-{Guid.NewGuid():N}"[..16]);
        target.ErrorRatio(errorRatio);
        await unleash.CreateFlagAsync(target.Flag, Environment, new JsonObject
        {
            ["name"] = "flexibleRollout",
            ["parameters"] = new JsonObject { ["rollout"] = "100", ["stickiness"] = Stickiness, ["groupId"] = target.GroupId },
            ["constraints"] = new JsonArray(),
        });
        using var on = await unleash.Admin.PostAsync($"api/admin/projects/default/features/{target.Flag}/environments/{Environment}/on", null);
        await UnleashServer.SucceededAsync(on);
        return target;
    }

    /// <summary>What the app reports as the error ratio of requests served with the flag on, from Prometheus's next scrape.</summary>
    public void ErrorRatio(double value) => _prometheus.Metrics.SetGauge($"flag_error_ratio{{flag=\"{Flag}\"}}", value);

    /// <summary>Writes the daemon's configuration into <paramref name="dir"/> and starts it (the store is <c>watchdog.db</c> there).</summary>
    /// <param name="plan">The target's rollback plan, as a YAML flow sequence.</param>
    public Task<DaemonProcess> StartDaemonAsync(TempDirectory dir, string plan, ITestOutputHelper output)
    {
        dir.Write("flag-guard.yaml", """
            name: flag-guard
            matrix:
              - {id: flag-error-rate-high, when: "flag_error_rate > 0.02", action: rollback, authority: automatic, severity: high}
              - {id: flag-error-rate-fine, when: "flag_error_rate <= 0.02", action: none}
            """);
        var config = dir.Write("watchdog.yaml", $$$"""
            store: {path: watchdog.db}
            sources:
              prometheus: {url: "{{{_prometheus.Url}}}", timeout: 2s}
            signals:
              flag_error_rate: {source: prometheus, query: 'flag_error_ratio{flag="{{flag}}"}'}
            policies: [flag-guard.yaml]
            flags:
              - {name: unleash, kind: unleash, url: "{{{_unleash.Url}}}", environment: {{{Environment}}}, token_env: {{{TokenVariable}}}, timeout: 5s}
            defaults: {interval: 300ms, dry_run: false}
            targets:
              - name: {{{Flag}}}
                policy: flag-guard
                variables: {flag: {{{Flag}}}}
                plans:
                  rollback: {{{plan}}}
            """);
        return DaemonProcess.StartAsync(config, output, new Dictionary<string, string> { [TokenVariable] = _unleash.AdminToken });
    }

    /// <summary>The flexibleRollout's parameters as Unleash's Admin API holds them.</summary>
    public async Task<JsonNode> ParametersAsync() => (await _unleash.StrategiesAsync(Flag, Environment)).Single()!["parameters"]!;

    /// <summary>The rollout as Unleash's Admin API holds it (a string, as Unleash keeps it).</summary>
    public async Task<string> RolloutAsync() => (await ParametersAsync())["rollout"]!.GetValue<string>();

    /// <summary>Whether the flag is on in production, as the Admin API says.</summary>
    public Task<bool> EnabledAsync() => _unleash.EnabledAsync(Flag, Environment);

    /// <summary>True once an SDK in production (the client API, which lags the Admin API by ~1 s) sees the flag as <paramref name="holds"/> wants.</summary>
    public async Task<bool> ClientSeesAsync(Func<bool, string?, bool> holds)
    {
        ArgumentNullException.ThrowIfNull(holds);
        var view = await _unleash.ClientViewAsync(Flag);
        var rollout = view["strategies"]!.AsArray().Single()!["parameters"]?["rollout"]?.GetValue<string>();
        return holds(view["enabled"]!.GetValue<bool>(), rollout);
    }

    /// <summary>
    /// Every rollout the strategy was given, oldest first, from Unleash's own event log of the flag
    /// (<c>GET /api/admin/events/{flag}</c>, <c>feature-strategy-update</c> events): what Unleash was told, not what a poll caught.
    /// </summary>
    public async Task<IReadOnlyList<int>> RolloutsSetAsync()
    {
        using var log = JsonDocument.Parse(await _unleash.Admin.GetStringAsync($"api/admin/events/{Flag}"));
        return [.. log.RootElement.GetProperty("events").EnumerateArray()
            .Where(e => e.GetProperty("type").GetString() == "feature-strategy-update")
            .OrderBy(e => e.GetProperty("id").GetInt64())
            .Select(e => int.Parse(e.GetProperty("data").GetProperty("parameters").GetProperty("rollout").GetString()!, CultureInfo.InvariantCulture))];
    }
}
