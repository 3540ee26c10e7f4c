namespace Watchdog.Rules;

/// <summary>One row of a decision matrix: when <paramref name="When"/> holds, <paramref name="Outcome"/> applies.</summary>
internal sealed record MatrixRow(ConditionDefinition When, Outcome Outcome);
