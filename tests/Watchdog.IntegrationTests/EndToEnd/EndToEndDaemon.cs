using System.Text.Json;
using Watchdog.IntegrationTests.Faults;
using Watchdog.IntegrationTests.Faults.Fakes;
using Watchdog.IntegrationTests.Servers;
using Xunit.Abstractions;

namespace Watchdog.IntegrationTests.EndToEnd;

/// <summary>
/// A real daemon process (<see cref="DaemonProcess"/>: SIGKILL and restart on the same store and port) started by
/// <see cref="EndToEndWorld.StartDaemonAsync"/>. Its configuration, the same for every scenario but for the targets:
/// <list type="bullet">
/// <item>store <c>postgres</c>, a database of its own on the world's PostgreSQL;</item>
/// <item>signal <c>error_rate</c> (<see cref="EndToEndWorld.ErrorRateQuery"/>) from the world's Prometheus, timeout 1 s;
/// the Alertmanager intake with <see cref="EndToEndWorld.AlertmanagerToken"/>;</item>
/// <item>the policies of <see cref="EndToEndPolicies"/>; flag provider <c>unleash</c> (environment <c>production</c>,
/// the admin token); Kubernetes: the simulator;</item>
/// <item>two webhook channels on the world's receiver: <c>on-call</c> (every message; <see cref="OnCallMessages"/>) and
/// <c>seniors</c>, only for the escalation level <c>senior-engineer</c> (<see cref="SeniorMessages"/>); escalation:
/// on-call at once, senior-engineer after 2 s;</item>
/// <item>API token <see cref="OnCallToken"/> (alice, role on-call), for approvals;</item>
/// <item>interval 500 ms, no dry run, no cooldown, recovery window 2 s.</item>
/// </list>
/// </summary>
public sealed class EndToEndDaemon : IAsyncDisposable
{
    public const string OnCallToken = "alice-e2e-on-call-9d2f7a";
    public static readonly TimeSpan Escalation = TimeSpan.FromSeconds(2);
    public static readonly TimeSpan RecoveryWindow = TimeSpan.FromSeconds(2);

    private const string UnleashTokenVariable = "WATCHDOG_E2E_UNLEASH_TOKEN";

    private readonly TempDirectory _dir;
    private readonly RecordingReceiver _receiver;
    private readonly string _channel;

    private EndToEndDaemon(TempDirectory dir, RecordingReceiver receiver, string channel, DaemonProcess process)
    {
        _dir = dir;
        _receiver = receiver;
        _channel = channel;
        Process = process;
        Api = new DaemonApi(process);
    }

    public DaemonProcess Process { get; }

    public DaemonApi Api { get; }

    /// <summary>What the <c>on-call</c> channel received, oldest first.</summary>
    public IReadOnlyList<ReceivedRequest> OnCallMessages() => _receiver.RequestsTo($"{_channel}/on-call");

    /// <summary>What the <c>seniors</c> channel (only for escalation level senior-engineer) received, oldest first.</summary>
    public IReadOnlyList<ReceivedRequest> SeniorMessages() => _receiver.RequestsTo($"{_channel}/seniors");

    /// <summary>Waits until a message containing <paramref name="text"/> (e.g. <c>"title":"ROLLBACK ISSUES DETECTED"</c>) reached <paramref name="channel"/>.</summary>
    public Task HeardAsync(Func<IReadOnlyList<ReceivedRequest>> channel, string text)
    {
        ArgumentNullException.ThrowIfNull(channel);
        return Api.UntilAsync(() => Task.FromResult(channel().Any(m => m.Body.Contains(text, StringComparison.Ordinal))), $"a channel heard {text}");
    }

    /// <summary>The first carried-out run of the target's newest incident, once it has ended (succeeded, failed, interrupted or rejected).</summary>
    public Task<JsonElement> FinishedRunAsync(string target) => Api.RunOfAsync(target, "succeeded", "failed", "interrupted", "rejected");

    /// <summary>The report of the target's newest incident, once that incident is closed.</summary>
    public Task<JsonElement> ClosedReportAsync(string target) =>
        Api.UntilAsync(
            async () => await Api.ReportOfAsync(target) is { } report && report.GetProperty("incident").GetProperty("status").GetString() == "closed" ? report : (JsonElement?)null,
            $"{target}'s incident closed");

    /// <summary>Runs the on-call CLI (<c>watchdog VERB ... --server URL</c>) as a separate process with alice's token.</summary>
    public Task<DaemonExit> CliAsync(params string[] arguments) =>
        DaemonProcess.RunToExitAsync(
            [.. arguments, "--server", Process.Url.AbsoluteUri],
            _dir.Path,
            DaemonApi.DefaultWait,
            new Dictionary<string, string> { ["WATCHDOG_TOKEN"] = OnCallToken });

    internal static async Task<EndToEndDaemon> StartAsync(EndToEndWorld world, string connectionString, ITestOutputHelper output, IReadOnlyList<EndToEndTarget> targets)
    {
        var dir = new TempDirectory();
        try
        {
            var channel = targets[0].Name;
            var config = dir.Write("watchdog.yaml", Config(world, connectionString, channel, targets));
            foreach (var (name, text) in EndToEndPolicies.Files)
            {
                dir.Write(name, text);
            }

            var process = await DaemonProcess.StartAsync(config, output, new Dictionary<string, string> { [UnleashTokenVariable] = world.Unleash.AdminToken });
            return new EndToEndDaemon(dir, world.Receiver, channel, process);
        }
        catch
        {
            // The start failed (DaemonProcess left no process behind); only the folder is left to remove.
            dir.Dispose();
            throw;
        }
    }

    public async ValueTask DisposeAsync()
    {
        Api.Dispose();
        try
        {
            await Process.DisposeAsync();
        }
        finally
        {
            _dir.Dispose();
        }
    }

    private static string Config(EndToEndWorld world, string connectionString, string channel, IReadOnlyList<EndToEndTarget> targets)
    {
        var watched = string.Concat(targets.Select(target =>
            $"  - name: {target.Name}\n"
            + $"    policy: {target.Policy}\n"
            + $"    variables: {{deployment: {target.Name}}}\n"
            + (target.Policy == EndToEndPolicies.AlertOnly ? $"    alerts: {{match: {{deployment: {target.Name}}}}}\n" : "")
            + $"    plans: {{rollback: {target.Plan}}}\n"));
        return $$"""
            http:
              tokens:
                - {name: alice, role: on-call, token: "{{OnCallToken}}"}
            store: {kind: postgres, connection_string: "{{connectionString}}"}
            kubernetes: {server: "{{world.Cluster.Url.ToString().TrimEnd('/')}}"}
            sources:
              prometheus: {url: "{{world.Prometheus.Url}}", timeout: 1s}
              alertmanager: {bearer_token: "{{EndToEndWorld.AlertmanagerToken}}"}
            signals:
              error_rate: {source: prometheus, query: '{{EndToEndWorld.ErrorRateQuery}}'}
            policies: [{{string.Join(", ", EndToEndPolicies.Files.Keys)}}]
            flags:
              - {name: unleash, kind: unleash, url: "{{world.Unleash.Url}}", environment: production, token_env: {{UnleashTokenVariable}}, timeout: 5s}
            notifications:
              - {name: on-call, kind: webhook, url: "{{world.Receiver.Endpoint($"{channel}/on-call")}}"}
              - {name: seniors, kind: webhook, url: "{{world.Receiver.Endpoint($"{channel}/seniors")}}", only_for: senior-engineer}
            approvals:
              escalation:
                - {after: 0s, notify: on-call}
                - {after: {{Escalation.TotalSeconds}}s, notify: senior-engineer}
            defaults: {interval: 500ms, dry_run: false, cooldown: 0s, recovery_window: {{RecoveryWindow.TotalSeconds}}s}
            targets:
            {{watched}}
            """;
    }
}
