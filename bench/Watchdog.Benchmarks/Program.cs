using BenchmarkDotNet.Running;
using Watchdog.Benchmarks;

// `alert-intake-host` serves the alert intake for bench/alert-intake.sh (a load test with wrk, not BenchmarkDotNet).
if (args is ["alert-intake-host", .. var rest])
{
    await AlertIntakeHost.RunAsync(rest);
    return;
}

// `webhook-to-patch` times an Alertmanager webhook to the undo's PATCH on the simulator (bench/webhook-to-patch.sh).
if (args is ["webhook-to-patch", .. var options])
{
    await WebhookToPatchBenchmark.RunAsync(options);
    return;
}

// `watch-cost-app` serves the scrape target of bench/watch-cost.sh: series for N deployments.
if (args is ["watch-cost-app", .. var appOptions])
{
    await WatchCostApp.RunAsync(appOptions);
    return;
}

// `breach-to-patch` times an error-rate breach scraped by Prometheus to the undo's PATCH (bench/breach-to-patch.sh).
if (args is ["breach-to-patch", .. var breach])
{
    await BreachToPatchBenchmark.RunAsync(breach);
    return;
}

BenchmarkSwitcher.FromAssembly(typeof(PolicyDecisionBenchmarks).Assembly).Run(args);
