using Watchdog.Telemetry;

namespace Watchdog.Flags;

/// <summary>
/// A provider whose every read and change also sets <c>watchdog_flag_rollout_percent{flag}</c>: the share of users the
/// flag serves as last seen (0 when it is off, 100 when it is on without a percentage), so a dashboard shows a
/// reduction step by step whichever action made it.
/// </summary>
internal sealed class GaugedFlagProvider(IFlagProvider inner, FlagRolloutGauge gauge) : IFlagProvider
{
    public string Name => inner.Name;

    /// <summary>The provider that does the work.</summary>
    public IFlagProvider Inner => inner;

    public async Task<FlagState> ReadAsync(FlagRef flag, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(flag);
        var state = await inner.ReadAsync(flag, cancellationToken);
        gauge.Set(flag.Flag, !state.Enabled ? 0 : state.HighestRollout ?? 100);
        return state;
    }

    public async Task SetRolloutAsync(FlagRef flag, int percent, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(flag);
        await inner.SetRolloutAsync(flag, percent, cancellationToken);
        gauge.Set(flag.Flag, percent);
    }

    public async Task SetEnabledAsync(FlagRef flag, bool enabled, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(flag);
        await inner.SetEnabledAsync(flag, enabled, cancellationToken);
        if (!enabled)
        {
            gauge.Set(flag.Flag, 0);
        }
    }
}
