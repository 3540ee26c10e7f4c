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

BenchmarkSwitcher.FromAssembly(typeof(PolicyDecisionBenchmarks).Assembly).Run(args);
