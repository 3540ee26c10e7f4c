namespace Watchdog.Actions.Flags;

/// <summary>A <c>flag-reduce</c> step's parameters, read and checked.</summary>
internal sealed record FlagReductionSettings(IReadOnlyList<int> Steps, TimeSpan Hold, StopCondition Until, bool DisableAtZero);
