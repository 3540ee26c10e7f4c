using Watchdog.Rules;

namespace Watchdog.Actions;

/// <summary>One evaluation of a target by the watch loop: when it was made, and every signal value it saw.</summary>
internal sealed record TargetEvaluation(DateTimeOffset EvaluatedAt, IReadOnlyList<SignalReading> Signals);
