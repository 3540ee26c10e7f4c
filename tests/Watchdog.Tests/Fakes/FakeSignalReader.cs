using System.Collections.Concurrent;
using Watchdog.Configuration;
using Watchdog.Rules;
using Watchdog.Signals;

namespace Watchdog.Tests.Fakes;

/// <summary>A signal source whose answers a test sets; records every read and can be held at a gate.</summary>
public sealed class FakeSignalReader(string name = "fake") : ISignalReader
{
    public string Name => name;

    /// <summary>Which signals this reader claims; every one unless a test says otherwise.</summary>
    public Func<TargetOptions, string, bool> Reads { get; set; } = (_, _) => true;

    /// <summary>The value to return; may throw to act as a broken reader.</summary>
    public Func<TargetOptions, string, SignalValue> Values { get; set; } = (_, _) => SignalValue.NoData;

    /// <summary>Reads wait for this task, so a test can hold a cycle open.</summary>
    public Task Gate { get; set; } = Task.CompletedTask;

    public ConcurrentQueue<(string Target, string Signal)> Calls { get; } = new();

    public int CallsFor(string target) => Calls.Count(c => c.Target == target);

    public bool CanRead(TargetOptions target, string signal) => Reads(target, signal);

    public async ValueTask<SignalValue> ReadAsync(TargetOptions target, string signal, CancellationToken cancellationToken)
    {
        Calls.Enqueue((target.Name, signal));
        await Gate.WaitAsync(cancellationToken);
        return Values(target, signal);
    }
}
