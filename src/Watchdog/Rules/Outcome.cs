namespace Watchdog.Rules;

/// <summary>What a matrix row or a tree leaf asks for when it holds.</summary>
/// <param name="Id">Stable id of the row or leaf, reported as the rule that decided.</param>
/// <param name="Cooldown">After any action on the target, this outcome is suppressed for this long.</param>
internal sealed record Outcome(string Id, DecisionAction Action, Authority Authority, string? Severity, TimeSpan Cooldown);
