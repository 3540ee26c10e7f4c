namespace Watchdog.Records;

/// <summary>One step of a run, journalled before and after it is carried out.</summary>
/// <param name="Index">0-based position in the plan.</param>
/// <param name="Action">The plug-in's name, e.g. <c>webhook</c> or <c>deployment-undo</c>.</param>
/// <param name="Parameters">The step's parameters from the target's plan.</param>
internal sealed record ActionStep(long RunId, int Index, string Action, IReadOnlyDictionary<string, string> Parameters)
{
    public StepStatus Status { get; init; }

    public DateTimeOffset? StartedAt { get; init; }

    public DateTimeOffset? CompletedAt { get; init; }

    /// <summary>How many times the step was started (more than 1 only for idempotent steps resumed after a crash).</summary>
    public int Attempts { get; init; }

    /// <summary>What the action reported, as JSON (before/after state, responses).</summary>
    public string? Result { get; init; }

    public string? Error { get; init; }

    /// <summary>The step as a person counts it, from 1: every text a person reads says <c>step {Number}</c>, never the index.</summary>
    public int Number => Index + 1;
}
