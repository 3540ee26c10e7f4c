using Watchdog.Configuration;
using Watchdog.Rules;

namespace Watchdog.Actions.Flags;

/// <summary>
/// <c>until</c>: when a reduction may stop, a comparison in the policy language's one-line form
/// (<c>error_rate &lt;= 0.02</c>, the runbook's), judged on one evaluation of the target's signals. A signal without a
/// number (no data, an error, not watched, no evaluation at all) makes it unknown, never true: missing data does not
/// stop a rollback.
/// </summary>
internal sealed record StopCondition(ComparisonCondition Comparison, string Text)
{
    public const string Default = "error_rate <= 0.02";

    public static StopCondition? TryParse(string text, out string? error)
    {
        if (ConditionExpression.IsName(text.Trim()))
        {
            error = $"'{text}' is a condition's name; write the comparison itself ('{Default}'): a step has no policy to look the name up in";
            return null;
        }

        var comparison = ConditionExpression.TryParseComparison(text, out error);
        return comparison is null ? null : new StopCondition(comparison, text.Trim());
    }

    /// <summary>The truth on <paramref name="evaluation"/>, and the value it saw in words (<c>error_rate 0.031</c>).</summary>
    public (Truth Truth, string Seen) Judge(TargetEvaluation? evaluation)
    {
        var signal = Comparison.Signal;
        if (evaluation is null)
        {
            return (Truth.Unknown, $"{signal} unknown (no evaluation of the target came in time)");
        }

        var reading = evaluation.Signals.FirstOrDefault(s => s.Signal == signal);
        return reading switch
        {
            null => (Truth.Unknown, $"{signal} unknown (the target's policy does not read it)"),
            { State: SignalState.Number, Value: { } value } => (
                Comparison.Operator.Holds(value, Comparison.Threshold) ? Truth.True : Truth.False,
                $"{signal} {SignalValue.FormatNumber(value)}"),
            { State: SignalState.Error } => (Truth.Unknown, $"{signal} unknown (error: {reading.Error})"),
            { State: SignalState.NotWatched } => (Truth.Unknown, $"{signal} unknown (no source measures it for this target)"),
            _ => (Truth.Unknown, $"{signal} unknown (no data)"),
        };
    }
}
