using System.Diagnostics;
using System.Globalization;
using static Watchdog.Benchmarks.LatencySamples;
using System.Net.Http.Headers;
using System.Text;
using Watchdog.Configuration;
using Watchdog.Hosting;
using Watchdog.Sandbox.Kubernetes;

namespace Watchdog.Benchmarks;

/// <summary>
/// Alertmanager webhook → PATCH (issue 14, item 3): the whole daemon in-process (<c>WatchdogHost.Build</c>) against the
/// Kubernetes simulator, 100 targets each with its own deployment (2 revisions) and its own alert matcher, a policy row
/// <c>alert:RollbackNow &gt; 0</c> without <c>for</c>, automatic, plan <c>deployment-undo</c>, interval 1h so only the
/// alert wake-up can trigger. One alert per target, sequentially; each sample runs from just before the POST to the
/// moment the simulator's request log shows that target's PATCH. Every run is a fresh simulator, store and daemon;
/// run 0 warms the JIT up and is not counted.
/// <c>webhook-to-patch [--targets 100] [--runs 10]</c>
/// </summary>
internal static class WebhookToPatchBenchmark
{
    private const string Token = "bench-webhook-to-patch-token";
    private const string Namespace = SimulatorDeployments.Namespace;

    public static async Task RunAsync(string[] args)
    {
        var targets = int.Parse(BenchArgs.ValueOf(args, "--targets") ?? "100", CultureInfo.InvariantCulture);
        var runs = int.Parse(BenchArgs.ValueOf(args, "--runs") ?? "10", CultureInfo.InvariantCulture);
        var all = new List<double>();
        var answered = new List<double>();
        var firstRequests = new List<double>();
        var medians = new List<double>();
        var phases = new List<AlertPathPhases>();
        using var spans = new SpanRecorder();
        for (var run = 0; run <= runs; run++)
        {
            var samples = await RunOnceAsync(targets, spans, CancellationToken.None);
            var patches = Sorted(samples.Select(s => s.Patch));
            var label = run == 0 ? "warm-up (not counted)" : $"run {run}";
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"{label,-22} n={patches.Count} {Summary(patches)}   (medians: POST answered {Percentile(Sorted(samples.Select(s => s.Answered)), 0.5):F1} ms, first request on the cluster {Percentile(Sorted(samples.Select(s => s.FirstRequest)), 0.5):F1} ms)"));
            if (run > 0)
            {
                all.AddRange(patches);
                answered.AddRange(samples.Select(s => s.Answered));
                firstRequests.AddRange(samples.Select(s => s.FirstRequest));
                medians.Add(Percentile(patches, 0.50));
                phases.AddRange(samples.Select(s => s.Phases).OfType<AlertPathPhases>());
            }
        }

        all.Sort();
        medians.Sort();
        Console.WriteLine($"{"all counted runs",-22} n={all.Count} {Summary(all)}");
        Console.WriteLine($"{"  POST answered",-22} {Summary(Sorted(answered))}");
        Console.WriteLine($"the daemon's spans, from just before the POST ({phases.Count} samples with every span found):");
        Console.WriteLine($"{"  watch cycle starts",-22} {Summary(Sorted(phases.Select(p => p.CycleStart)))}");
        Console.WriteLine($"{"  target's evaluation",-22} {Summary(Sorted(phases.Select(p => p.TargetStart)))}");
        Console.WriteLine($"{"  decided",-22} {Summary(Sorted(phases.Select(p => p.Decided)))}");
        Console.WriteLine($"{"  action run starts",-22} {Summary(Sorted(phases.Select(p => p.RunStart)))}");
        Console.WriteLine($"{"  first step starts",-22} {Summary(Sorted(phases.Select(p => p.StepStart)))}");
        Console.WriteLine($"{"  first cluster request",-22} {Summary(Sorted(firstRequests))}");
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"per-run medians of POST -> PATCH: min {medians[0]:F1} ms, median {Percentile(medians, 0.5):F1} ms, max {medians[^1]:F1} ms over {medians.Count} runs"));
        Console.WriteLine($"goal p99 < 50 ms: {(Percentile(all, 0.99) < 50 ? "met" : "not met")}");
    }

    private static async Task<List<Sample>> RunOnceAsync(int targets, SpanRecorder spans, CancellationToken cancellationToken)
    {
        var dir = Directory.CreateTempSubdirectory("watchdog-webhook-to-patch-");
        try
        {
            await using var cluster = await KubernetesSimulator.StartAsync(new SimulatorOptions(SyncInterval: TimeSpan.FromMilliseconds(100)), cancellationToken);
            await SimulatorDeployments.CreateAsync(cluster, [.. Enumerable.Range(0, targets).Select(Name)], cancellationToken);
            var config = WatchdogConfigLoader.Load(WriteConfig(dir.FullName, cluster.Url, targets), WatchdogPlugins.Registry(), new Dictionary<string, string?>());
            if (!config.IsValid)
            {
                throw new InvalidOperationException(string.Join("\n", config.Errors));
            }

            await using var app = WatchdogHost.Build(config, []);
            await app.StartAsync(cancellationToken);
            try
            {
                using var http = new HttpClient { BaseAddress = new Uri(app.Urls.First()) };
                http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", Token);
                // The start-up evaluation of every target (no alert yet: no data, no action) is over before the first alert.
                await Task.Delay(TimeSpan.FromSeconds(2), cancellationToken);
                spans.Clear();
                var samples = new List<Sample>(targets);
                for (var i = 0; i < targets; i++)
                {
                    samples.Add(await MeasureOneAsync(http, cluster, i, cancellationToken));
                }

                // The last run's span ends after its PATCH, and the simulator logs a request before it applies it.
                await Task.Delay(TimeSpan.FromMilliseconds(500), cancellationToken);
                // Every PATCH was a real undo: each deployment's template is back at its first image.
                var notUndone = Enumerable.Range(0, targets).Select(Name).Where(name => !SimulatorDeployments.IsUndone(cluster, name)).ToList();
                var recorded = spans.Spans;
                samples = [.. samples.Select(s => s with { Phases = AlertPathPhases.Of(recorded, s.Target, s.Posted) })];
                return notUndone.Count == 0 ? samples : throw new InvalidOperationException($"not undone: {string.Join(", ", notUndone)}");
            }
            finally
            {
                await app.StopAsync(CancellationToken.None);
            }
        }
        finally
        {
            dir.Delete(recursive: true);
        }
    }

    private static async Task<Sample> MeasureOneAsync(HttpClient http, KubernetesSimulator cluster, int index, CancellationToken cancellationToken)
    {
        var path = SimulatorDeployments.PathOf(Name(index));
        var from = cluster.Requests.Count;
        using var content = new StringContent(Webhook(index), Encoding.UTF8, "application/json");
        var started = Stopwatch.GetTimestamp();
        var arrival = Task.Factory.StartNew(
            () => PatchArrivals.WaitFor(cluster, path, from, TimeSpan.FromSeconds(10)),
            cancellationToken, TaskCreationOptions.LongRunning, TaskScheduler.Default);
        using var response = await http.PostAsync(new Uri("/api/v1/alerts", UriKind.Relative), content, cancellationToken);
        var answered = Stopwatch.GetTimestamp();
        if (!response.IsSuccessStatusCode)
        {
            throw new InvalidOperationException($"POST /api/v1/alerts for {Name(index)}: {(int)response.StatusCode} {await response.Content.ReadAsStringAsync(cancellationToken)}");
        }

        var seen = await arrival ?? throw new InvalidOperationException($"no PATCH of {path} within 10 s of its alert");
        return new Sample(
            Name(index),
            started,
            Stopwatch.GetElapsedTime(started, answered).TotalMilliseconds,
            Stopwatch.GetElapsedTime(started, seen.FirstRequest).TotalMilliseconds,
            Stopwatch.GetElapsedTime(started, seen.Patch).TotalMilliseconds);
    }

    /// <summary>The target, the Stopwatch ticks just before the POST, and milliseconds from then to its answer, to the target's first request on the cluster, to its PATCH.</summary>
    private sealed record Sample(string Target, long Posted, double Answered, double FirstRequest, double Patch, AlertPathPhases? Phases = null);

    private static string WriteConfig(string dir, Uri cluster, int targets)
    {
        File.WriteAllText(Path.Combine(dir, "policy.yaml"), """
            name: alert-rollback
            matrix:
              - {id: rollback-now, when: "alert:RollbackNow > 0", action: rollback, authority: automatic, severity: critical}
              - {id: quiet, when: "alert:RollbackNow <= 0", action: none}
            """);
        var yaml = new StringBuilder($$"""
            http: {listen: "http://127.0.0.1:0"}
            logging: {level: Error}
            store: {path: watchdog.db}
            kubernetes: {server: "{{cluster.ToString().TrimEnd('/')}}"}
            sources:
              alertmanager: {bearer_token: "{{Token}}"}
            policies: [policy.yaml]
            defaults: {interval: 1h, dry_run: false, cooldown: 0s}
            targets:

            """);
        for (var i = 0; i < targets; i++)
        {
            yaml.Append(CultureInfo.InvariantCulture, $"""
                  - name: {Name(i)}
                    policy: alert-rollback
                    alerts:
                      match: {"{"}service: {Name(i)}{"}"}
                    plans:
                      rollback:
                        - {"{"}action: deployment-undo, deployment: {Name(i)}, namespace: {Namespace}{"}"}

                """);
        }

        var path = Path.Combine(dir, "watchdog.yaml");
        File.WriteAllText(path, yaml.ToString());
        return path;
    }

    private static string Webhook(int index) => $$"""
        {"receiver":"watchdog","status":"firing","alerts":[{"status":"firing","labels":{"alertname":"RollbackNow","service":"{{Name(index)}}","severity":"critical"},"annotations":{"summary":"bench"},"startsAt":"2026-01-01T00:00:00.000Z","endsAt":"0001-01-01T00:00:00Z","generatorURL":"http://127.0.0.1/graph","fingerprint":"bench-{{index:D4}}"}],"groupLabels":{"alertname":"RollbackNow","service":"{{Name(index)}}"},"commonLabels":{"alertname":"RollbackNow","service":"{{Name(index)}}","severity":"critical"},"commonAnnotations":{"summary":"bench"},"externalURL":"http://127.0.0.1:9093","version":"4","groupKey":"{}:{alertname=\"RollbackNow\", service=\"{{Name(index)}}\"}","truncatedAlerts":0}
        """;

    private static string Name(int index) => $"app-{index:D3}";
}
