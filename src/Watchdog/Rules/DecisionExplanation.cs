namespace Watchdog.Rules;

/// <summary>Why a decision came out as it did: every rule's truth with the values and thresholds behind it.</summary>
/// <param name="Summary">One line for logs and notifications.</param>
/// <param name="TreePath">The tree's walk, condition by condition, ending in a leaf or in "inconclusive".</param>
internal sealed record DecisionExplanation(
    Decision Decision,
    string Summary,
    IReadOnlyList<SignalReading> Signals,
    IReadOnlyList<RuleTrace> Rules,
    IReadOnlyList<string> TreePath);

/// <summary>A signal's value as the policy saw it.</summary>
/// <param name="Note">The source's words on a number (see <see cref="SignalValue.Note"/>), e.g. which health probes failed and why.</param>
internal sealed record SignalReading(string Signal, SignalState State, double? Value, string? Error, string? Note = null)
{
    public static SignalReading Of(string signal, SignalValue value) =>
        new(signal, value.State, value.HasNumber ? value.Number : null, value.ErrorMessage, value.Note);
}

/// <summary>A matrix row or tree leaf: did its condition hold, and was it held back by a cooldown.</summary>
internal sealed record RuleTrace(string Id, DecisionSource Source, Truth Truth, bool SuppressedByCooldown, string Condition);
