using Microsoft.AspNetCore.Builder;
using Watchdog.Configuration;
using Watchdog.Sandbox.Demo;

namespace Watchdog.Hosting.Demo;

/// <summary>
/// <c>watchdog demo</c>: starts the sandbox world, points the real daemon at it with <c>config/demo.yaml</c>, plays
/// the runbook's scenarios while printing the live timeline, and says where the incident reports are.
/// </summary>
internal sealed class DemoRun(TextWriter output, TextWriter error, TimeProvider time)
{
    public const string DefaultConfigPath = "config/demo.yaml";

    private static readonly TimeSpan ScenarioTimeout = TimeSpan.FromSeconds(60);

    /// <param name="configPath">The demo's configuration; its URLs, store and reports folder are replaced by the world's.</param>
    /// <param name="dataDirectory">Where the store and the reports go; null makes a new temporary folder.</param>
    /// <param name="keepRunning">After the scenarios, keep the world and the daemon up (and say where) until cancelled.</param>
    public async Task<int> RunAsync(string configPath, string? dataDirectory, bool keepRunning, CancellationToken cancellationToken)
    {
        var data = dataDirectory ?? Path.Combine(Path.GetTempPath(), $"watchdog-demo-{Guid.NewGuid():N}"[..22]);
        Directory.CreateDirectory(data);
        var reports = Path.Combine(Path.GetFullPath(data), "reports");

        await using var world = await DemoWorld.StartAsync(time, cancellationToken);
        var config = WatchdogConfigLoader.Load(configPath, WatchdogPlugins.Registry(), new Dictionary<string, string?>
        {
            ["WATCHDOG__SOURCES__PROMETHEUS__URL"] = world.Prometheus.Url.ToString(),
            ["WATCHDOG__KUBERNETES__SERVER"] = world.Cluster.Url.ToString(),
            ["WATCHDOG__FLAGS__0__URL"] = world.Flags.Url.ToString(),
            ["WATCHDOG__NOTIFICATIONS__0__URL"] = world.Pager.Url.ToString(),
            ["WATCHDOG__STORE__PATH"] = Path.Combine(Path.GetFullPath(data), "watchdog.db"),
            ["WATCHDOG__REPORTS__DIRECTORY"] = reports,
        });
        if (!config.IsValid)
        {
            foreach (var problem in config.Errors)
            {
                await error.WriteLineAsync(problem.ToString());
            }

            await error.WriteLineAsync($"{configPath}: {config.Errors.Count} error(s); the demo does not start");
            return 1;
        }

        await output.WriteLineAsync($"""
            Watchdog demo: the real daemon, configured by {configPath}, watching a simulated world on 127.0.0.1.
              Kubernetes API simulator  {world.Cluster.Url}   (deployment/checkout, revision 1, {SampleApp.StableImage})
              Prometheus endpoint       {world.Prometheus.Url}   (the error rate and memory of whatever image runs)
              flag server               {world.Flags.Url}   ({DemoWorld.Flag} {world.Flags.Get(DemoWorld.Flag)})
              pager                     {world.Pager.Url}   (receives Watchdog's notifications, the runbook's messages)
              store and reports         {data}
            Time is compressed: rules hold for 3s (30s in the runbook), Watchdog evaluates every 1s,
            a flag reduction holds each step 1s (2m), a release counts as recovered after 4 healthy seconds (5m),
            and an unanswered approval escalates after 3s (15m) and 10s (30m), checked every 5s.

            """);

        var app = WatchdogHost.Build(config, []);
        await using (app.ConfigureAwait(false))
        {
            await app.StartAsync(cancellationToken);
            try
            {
                using var api = new HttpClient { BaseAddress = new Uri(app.Urls.First()) };
                var timeline = new DemoTimeline(world, api, output, time);
                var tokens = config.Options!.Http.Tokens.Where(t => t.Token is not null).ToList();
                var onCall = new DemoApprover(api, tokens.FirstOrDefault(t => t.Role == Watchdog.Rules.Authority.OnCall));
                var senior = new DemoApprover(api, tokens.FirstOrDefault(t => t.Role == Watchdog.Rules.Authority.TeamLead));
                var scenarios = new DemoScenarios(world, timeline, onCall, senior);
                bool passed;
                try
                {
                    passed = await scenarios.PlayAsync(ScenarioTimeout, cancellationToken);
                }
                catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
                {
                    await output.WriteLineAsync("Demo interrupted.");
                    return 1;
                }

                await output.WriteLineAsync();
                await output.WriteLineAsync($"Incident reports (Markdown and JSON): {reports}");
                foreach (var file in (Directory.Exists(reports) ? Directory.GetFiles(reports) : []).Order(StringComparer.Ordinal))
                {
                    await output.WriteLineAsync($"  {file}");
                }

                await output.WriteLineAsync(passed ? "Demo finished: every scenario went as the runbook says." : "Demo FAILED: a scenario did not go as the runbook says (see above).");
                if (keepRunning)
                {
                    await KeepRunningAsync(world, api.BaseAddress!, cancellationToken);
                }

                return passed ? 0 : 1;
            }
            finally
            {
                await app.StopAsync(CancellationToken.None);
            }
        }
    }

    private async Task KeepRunningAsync(DemoWorld world, Uri api, CancellationToken cancellationToken)
    {
        var server = world.Cluster.Url.ToString().TrimEnd('/');
        await output.WriteLineAsync($"""

            Still running (--keep-running); press Ctrl+C to stop.
              Watchdog API        {api}api/v1/targets   {api}api/v1/incidents   (approvals: Authorization: Bearer demo-on-call-token)
              Watchdog metrics    {api}metrics
              Kubernetes API      kubectl --server {server} rollout history deployment/checkout
              Prometheus          {world.Prometheus.Url}api/v1/query?query=error_rate   (or query=memory_utilization)
              flag server         {world.Flags.Url}features/{DemoWorld.Flag}
              pager               {world.Pager.Url}   (POST only: Watchdog's notifications)
              release yourself    kubectl --server {server} set image deployment/checkout checkout={SampleApp.BadImage}
            """);
        await output.FlushAsync(cancellationToken);
        try
        {
            await Task.Delay(Timeout.InfiniteTimeSpan, time, cancellationToken);
        }
        catch (OperationCanceledException)
        {
            // By design: cancellation (Ctrl+C, SIGTERM) is how a kept demo is stopped; the world and daemon stop after.
        }

        await output.WriteLineAsync("Stopped.");
    }
}
