using BenchmarkDotNet.Running;
using Watchdog.Benchmarks;

// `alert-intake-host` serves the alert intake for bench/alert-intake.sh (a load test with wrk, not BenchmarkDotNet).
if (args is ["alert-intake-host", .. var rest])
{
    await AlertIntakeHost.RunAsync(rest);
    return;
}

BenchmarkSwitcher.FromAssembly(typeof(PolicyDecisionBenchmarks).Assembly).Run(args);
