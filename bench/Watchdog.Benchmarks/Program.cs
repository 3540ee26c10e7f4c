using BenchmarkDotNet.Running;

BenchmarkSwitcher.FromAssembly(typeof(Watchdog.Benchmarks.PolicyDecisionBenchmarks).Assembly).Run(args);
