using BenchmarkDotNet.Attributes;
using Watchdog.Configuration;
using Watchdog.Rules;

namespace Watchdog.Benchmarks;

/// <summary>
/// Decisions per second for the shipped runbook policies: one call is one decision for one target,
/// with every `for` clock and cooldown check that a real tick does.
/// </summary>
[MemoryDiagnoser]
public class PolicyDecisionBenchmarks
{
    private static readonly DateTimeOffset Start = new(2026, 1, 1, 0, 0, 0, TimeSpan.Zero);

    private CompiledPolicy _matrix = null!;
    private PolicyState _matrixState = null!;
    private SignalValue[] _healthy = null!;
    private SignalValue[] _breached = null!;
    private CompiledPolicy _tree = null!;
    private PolicyState _treeState = null!;
    private SignalValue[] _treeFrame = null!;
    private long _tick;

    [GlobalSetup]
    public void Setup()
    {
        _matrix = Load("runbook-matrix.yaml");
        _matrixState = _matrix.CreateState();
        _healthy = Frame(_matrix, ("error_rate", 0.01), ("p95_latency_seconds", 0.3), ("cpu_utilization", 0.4),
            ("memory_utilization", 0.5), ("health_check_failure_ratio", 0), ("customer_reports", 1));
        _breached = Frame(_matrix, ("error_rate", 0.12), ("p95_latency_seconds", 2.5), ("cpu_utilization", 0.95),
            ("memory_utilization", 0.97), ("health_check_failure_ratio", 0.5), ("customer_reports", 20));
        _tree = Load("runbook-tree.yaml");
        _treeState = _tree.CreateState();
        _treeFrame = Frame(_tree, ("health_check_failure_ratio", 0), ("error_rate", 0.07), ("p95_latency_seconds", 0.3), ("data_integrity_errors", 0));
    }

    /// <summary>Each decision is kept, so the evaluation cannot be optimised away (Decision is internal, so not returned).</summary>
    private Decision _last;

    [Benchmark(Baseline = true, Description = "matrix, 7 signals, all healthy")]
    public void MatrixHealthy() => _last = _matrix.Evaluate(_healthy, Next(), _matrixState);

    [Benchmark(Description = "matrix, 7 signals, every row breached")]
    public void MatrixBreached() => _last = _matrix.Evaluate(_breached, Next(), _matrixState);

    [Benchmark(Description = "tree, 4 signals, API errors")]
    public void Tree() => _last = _tree.Evaluate(_treeFrame, Next(), _treeState);

    private DateTimeOffset Next() => Start.AddTicks(TimeSpan.TicksPerSecond * 15 * ++_tick);

    private static SignalValue[] Frame(CompiledPolicy policy, params (string Signal, double Value)[] values)
    {
        var frame = policy.CreateFrame();
        foreach (var (signal, value) in values)
        {
            frame[policy.IndexOf(signal)] = SignalValue.Of(value);
        }

        return frame;
    }

    private static CompiledPolicy Load(string file)
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            var path = Path.Combine(dir.FullName, "config", "policies", file);
            if (File.Exists(path))
            {
                var result = PolicyFileParser.ParseFile(path);
                return result.Policy ?? throw new InvalidOperationException(string.Join(Environment.NewLine, result.Errors));
            }
        }

        throw new FileNotFoundException($"config/policies/{file} not found above {AppContext.BaseDirectory}");
    }
}
