using Watchdog.Flags;

namespace Watchdog.Tests.Actions.Flags;

/// <summary>A flag provider over one flag held in memory; records every change and can be told to fail an operation.</summary>
internal sealed class FakeFlagProvider(string name = "unleash") : IFlagProvider, IFlagProviders
{
    private readonly Lock _lock = new();

    public string Name => name;

    public FlagState State { get; set; } = new("checkout-v2", "production", true, [new FlagStrategy("s1", "flexibleRollout", 50)]);

    /// <summary>Each change as <c>rollout 25</c> or <c>enabled False</c>, in order.</summary>
    public List<string> Changes { get; } = [];

    public List<FlagRef> Flags { get; } = [];

    /// <summary>Throws instead of the operation it names (<c>read</c>, <c>rollout 10</c>, <c>enabled False</c>) when set.</summary>
    public Func<string, FlagProviderException?> Fails { get; set; } = _ => null;

    /// <summary>The operation (<c>rollout 10</c>) that never answers until cancelled: a process dying mid-request.</summary>
    public string? Hangs { get; set; }

    /// <summary>When true the provider ignores disables (a flag service that answers 200 and changes nothing).</summary>
    public bool IgnoresDisable { get; set; }

    public IFlagProvider? Find(string? wanted) => wanted is null || wanted == name ? this : null;

    public Task<FlagState> ReadAsync(FlagRef flag, CancellationToken cancellationToken)
    {
        Check("read", flag);
        lock (_lock)
        {
            return Task.FromResult(State);
        }
    }

    public async Task SetRolloutAsync(FlagRef flag, int percent, CancellationToken cancellationToken)
    {
        Check($"rollout {percent}", flag);
        if (Hangs == $"rollout {percent}")
        {
            await Task.Delay(Timeout.Infinite, cancellationToken);
        }

        lock (_lock)
        {
            Changes.Add($"rollout {percent}");
            State = State with { Strategies = [.. State.Strategies.Select(s => s.RolloutPercent is null ? s : s with { RolloutPercent = percent })] };
        }
    }

    public Task SetEnabledAsync(FlagRef flag, bool enabled, CancellationToken cancellationToken)
    {
        Check($"enabled {enabled}", flag);
        lock (_lock)
        {
            Changes.Add($"enabled {enabled}");
            State = IgnoresDisable ? State : State with { Enabled = enabled };
        }

        return Task.CompletedTask;
    }

    private void Check(string operation, FlagRef flag)
    {
        lock (_lock)
        {
            Flags.Add(flag);
        }

        if (Fails(operation) is { } failure)
        {
            throw failure;
        }
    }
}
