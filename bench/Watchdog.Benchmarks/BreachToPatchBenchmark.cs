using System.Diagnostics;
using System.Globalization;
using System.Text;
using Watchdog.Configuration;
using Watchdog.Hosting;
using Watchdog.Rules;
using Watchdog.Sandbox.Kubernetes;
using static Watchdog.Benchmarks.LatencySamples;

namespace Watchdog.Benchmarks;

/// <summary>
/// Breach → PATCH (issue 14, item 3): a real Prometheus (<c>scripts/start-prometheus.sh</c>, scrape and rule evaluation
/// every 200 ms) scrapes <see cref="FailingMetricsApp"/>; the whole daemon runs in-process (<c>WatchdogHost.Build</c>,
/// interval 250 ms) with one target whose policy row is <c>error_rate &gt; 0.1</c> for each <c>--for</c> given, plan
/// <c>deployment-undo</c>, against the Kubernetes simulator. A sample runs from the instant the app starts failing 20 %
/// of its requests to the moment the simulator's request log shows the undo's PATCH. Every run is a fresh simulator,
/// store and daemon (Prometheus and the app are shared, and the app heals between runs); a first warm-up run with
/// <c>for: 0s</c> is not counted.
/// <c>breach-to-patch [--for 0s,30s] [--runs 10] [--window 1s]</c>
/// </summary>
internal static class BreachToPatchBenchmark
{
    private const string Deployment = "app";
    private const double FailingShare = 0.2;
    private const double Threshold = 0.1;
    private static readonly TimeSpan Settle = TimeSpan.FromSeconds(2);

    public static async Task RunAsync(string[] args)
    {
        var fors = (BenchArgs.ValueOf(args, "--for") ?? "0s,30s").Split(',').Select(Duration).ToList();
        var runs = int.Parse(BenchArgs.ValueOf(args, "--runs") ?? "10", CultureInfo.InvariantCulture);
        var window = Duration(BenchArgs.ValueOf(args, "--window") ?? "1s");
        await using var app = await FailingMetricsApp.StartAsync(Deployment, CancellationToken.None);
        await using var prometheus = await PrometheusServer.StartAsync(app.Address, "200ms", CancellationToken.None);
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"Prometheus {prometheus.Url} scraping {app.Address} every 200 ms; daemon interval 250 ms; rate window {DurationText.Format(window)}; the app fails {FailingShare:P0} of its requests from t0, the rule is error_rate > {Threshold}"));
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"the window alone: rate() over {DurationText.Format(window)} reaches {Threshold} after {window.TotalSeconds * Threshold / FailingShare:F2} s of failing ({DurationText.Format(window)} x {Threshold} / {FailingShare}), before scrape, interval and action delays"));

        await RunOnceAsync(prometheus.Url, app, window, TimeSpan.Zero, CancellationToken.None);
        foreach (var hold in fors)
        {
            var samples = new List<BreachSample>();
            for (var run = 1; run <= runs; run++)
            {
                var sample = await RunOnceAsync(prometheus.Url, app, window, hold, CancellationToken.None);
                samples.Add(sample);
                Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                    $"for {DurationText.Format(hold),-4} run {run,2}: breach -> PATCH {sample.Patch:F0} ms (first request on the cluster {sample.FirstRequest:F0} ms)"));
            }

            Report(hold, samples);
        }

        Console.WriteLine("""
            for the same rule, with their defaults (docs, 2026-12):
              Flagger        analysis.interval 60s (default) x analysis.threshold failed checks (no default in the docs; their examples use 5 and 10): 5-10 min, plus up to one interval before the first failing check
              Argo Rollouts  interval x (failureLimit + 1), failureLimit default 0; interval has no default (omitted: one measurement), the docs' success-rate example uses 5m: 5 min
              runbook        Rollback Time Objective (RTO) 5 minutes
            """);
    }

    private static void Report(TimeSpan hold, List<BreachSample> samples)
    {
        var patches = Sorted(samples.Select(s => s.Patch));
        var overFor = Sorted(samples.Select(s => s.Patch - hold.TotalMilliseconds));
        var goal = hold.TotalMilliseconds + 1000;
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"for {DurationText.Format(hold)}: n={patches.Count}  median {Percentile(patches, 0.5):F0} ms  min {patches[0]:F0} ms  p90 {Percentile(patches, 0.9):F0} ms  max {patches[^1]:F0} ms  (minus the for: median {Percentile(overFor, 0.5):F0} ms, spread {overFor[0]:F0}-{overFor[^1]:F0} ms)"));
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"goal under 1 s plus the for ({goal:F0} ms): median {(Percentile(patches, 0.5) < goal ? "met" : "not met")}, every run {(patches[^1] < goal ? "met" : "not met")}"));
    }

    private static async Task<BreachSample> RunOnceAsync(Uri prometheus, FailingMetricsApp app, TimeSpan window, TimeSpan hold, CancellationToken cancellationToken)
    {
        var dir = Directory.CreateTempSubdirectory("watchdog-breach-to-patch-");
        try
        {
            await using var cluster = await KubernetesSimulator.StartAsync(new SimulatorOptions(SyncInterval: TimeSpan.FromMilliseconds(100)), cancellationToken);
            await SimulatorDeployments.CreateAsync(cluster, [Deployment], cancellationToken);
            var created = cluster.Requests.Count;
            var config = WatchdogConfigLoader.Load(WriteConfig(dir.FullName, cluster.Url, prometheus, window, hold), WatchdogPlugins.Registry(), new Dictionary<string, string?>());
            if (!config.IsValid)
            {
                throw new InvalidOperationException(string.Join("\n", config.Errors));
            }

            await using var daemon = WatchdogHost.Build(config, []);
            await daemon.StartAsync(cancellationToken);
            try
            {
                // Healthy evaluations first (the app healed at the end of the last run, a window ago at least).
                await Task.Delay(Settle, cancellationToken);
                var path = SimulatorDeployments.PathOf(Deployment);
                var from = cluster.Requests.Count;
                if (cluster.Requests.Skip(created).Take(from - created).Any(r => r.Method == "PATCH" && r.Path == path))
                {
                    throw new InvalidOperationException("the daemon rolled back before the app failed: the last run's errors were still in the window");
                }

                var arrival = Task.Factory.StartNew(
                    () => PatchArrivals.WaitFor(cluster, path, from, hold + TimeSpan.FromSeconds(20)),
                    cancellationToken, TaskCreationOptions.LongRunning, TaskScheduler.Default);
                var started = Stopwatch.GetTimestamp();
                app.StartFailing(FailingShare);
                var seen = await arrival;
                app.StartFailing(0);
                if (seen is null)
                {
                    throw new InvalidOperationException($"no PATCH of {path} within {DurationText.Format(hold + TimeSpan.FromSeconds(20))} of the breach");
                }

                // The request log shows a request as it arrives, before the simulator has applied it.
                for (var wait = 0; !SimulatorDeployments.IsUndone(cluster, Deployment); wait++)
                {
                    await Task.Delay(TimeSpan.FromMilliseconds(50), cancellationToken);
                    if (wait == 100)
                    {
                        throw new InvalidOperationException($"the PATCH of {path} did not undo it");
                    }
                }

                return new BreachSample(Stopwatch.GetElapsedTime(started, seen.FirstRequest).TotalMilliseconds, Stopwatch.GetElapsedTime(started, seen.Patch).TotalMilliseconds);
            }
            finally
            {
                app.StartFailing(0);
                await daemon.StopAsync(CancellationToken.None);
                // The next run must start healthy: the failing samples leave the rate window first.
                await Task.Delay(window + window, CancellationToken.None);
            }
        }
        finally
        {
            dir.Delete(recursive: true);
        }
    }

    private static TimeSpan Duration(string text) =>
        DurationText.TryParse(text, out var duration) ? duration : throw new ArgumentException($"not a duration: {text}");

    /// <summary>Milliseconds from the breach to the deployment's first request on the cluster and to its PATCH.</summary>
    private sealed record BreachSample(double FirstRequest, double Patch);

    private static string WriteConfig(string dir, Uri cluster, Uri prometheus, TimeSpan window, TimeSpan hold)
    {
        File.WriteAllText(Path.Combine(dir, "policy.yaml"), string.Create(CultureInfo.InvariantCulture, $$"""
            name: breach
            matrix:
              - {id: error-rate-critical, when: "error_rate > {{Threshold}}", for: {{DurationText.Format(hold)}}, action: rollback, authority: automatic, severity: critical}
              - {id: quiet, when: "error_rate <= {{Threshold}}", action: none}
            """));
        var range = DurationText.Format(window);
        var selector = $"namespace=\"{{{{namespace}}}}\",deployment=\"{{{{deployment}}}}\"";
        var yaml = new StringBuilder($$"""
            http: {listen: "http://127.0.0.1:0"}
            logging: {level: Error}
            store: {path: watchdog.db}
            kubernetes: {server: "{{cluster.ToString().TrimEnd('/')}}"}
            sources:
              prometheus: {url: "{{prometheus.ToString().TrimEnd('/')}}", timeout: 2s}
            signals:
              error_rate:
                source: prometheus
                query: 'sum(rate(http_requests_total{{{selector}},code=~"5.."}[{{range}}])) / sum(rate(http_requests_total{{{selector}}}[{{range}}]))'
            policies: [policy.yaml]
            defaults: {interval: 250ms, dry_run: false, cooldown: 0s}
            targets:
              - name: {{Deployment}}
                policy: breach
                variables: {namespace: {{SimulatorDeployments.Namespace}}, deployment: {{Deployment}}}
                plans:
                  rollback:
                    - {action: deployment-undo, deployment: {{Deployment}}, namespace: {{SimulatorDeployments.Namespace}}}

            """);
        var path = Path.Combine(dir, "watchdog.yaml");
        File.WriteAllText(path, yaml.ToString());
        return path;
    }
}
