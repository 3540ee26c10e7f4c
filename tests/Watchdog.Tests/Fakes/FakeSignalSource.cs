using System.Collections.Concurrent;
using Watchdog.Configuration;
using Watchdog.Rules;
using Watchdog.Signals;

namespace Watchdog.Tests.Fakes;

/// <summary>A signal source whose answers a test sets; records every batch and can be held at a gate.</summary>
internal sealed class FakeSignalSource(string name = "fake") : ISignalSource
{
    public string Name => name;

    /// <summary>Which signals this source provides; every one unless a test says otherwise.</summary>
    public Func<TargetOptions, string, bool> Reads { get; set; } = (_, _) => true;

    /// <summary>The value to return; may throw to act as a broken source (the whole batch fails).</summary>
    public Func<TargetOptions, string, SignalValue> Values { get; set; } = (_, _) => SignalValue.NoData;

    /// <summary>Reads wait for this task, so a test can hold a source open.</summary>
    public Task Gate { get; set; } = Task.CompletedTask;

    public ConcurrentQueue<(string Target, string Signal)> Calls { get; } = new();

    public ConcurrentQueue<int> Batches { get; } = new();

    public int CallsFor(string target) => Calls.Count(c => c.Target == target);

    public bool Provides(TargetOptions target, string signal) => Reads(target, signal);

    public async Task<IReadOnlyList<SignalValue>> ReadAsync(IReadOnlyList<SignalRequest> requests, CancellationToken cancellationToken)
    {
        Batches.Enqueue(requests.Count);
        foreach (var request in requests)
        {
            Calls.Enqueue((request.Target.Name, request.Signal));
        }

        await Gate.WaitAsync(cancellationToken);
        return [.. requests.Select(r => Values(r.Target, r.Signal))];
    }
}
