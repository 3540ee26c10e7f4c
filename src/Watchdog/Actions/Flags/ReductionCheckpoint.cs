using System.Text.Json;

namespace Watchdog.Actions.Flags;

/// <summary>
/// Where a reduction stands, kept on its step (<see cref="IActionJournal.CheckpointAsync"/>) at every change, so a
/// restart resumes in the hold of the step it was in rather than from the first step.
/// </summary>
/// <param name="Before">The flag before the reduction, in words (the incident's before state).</param>
/// <param name="From">The highest rollout percentage before the reduction: the steps are those below it.</param>
/// <param name="Percent">The step being set or held; null before the first.</param>
/// <param name="HoldStartedAt">When <see cref="Percent"/>'s hold began; null while it is being set.</param>
/// <param name="HeldAgain">The hold under way is the one more hold after a check with unknown data.</param>
internal sealed record ReductionCheckpoint(string Before, int From, int? Percent = null, DateTimeOffset? HoldStartedAt = null, bool HeldAgain = false)
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    public string ToJson() => JsonSerializer.Serialize(this, Json);

    /// <summary>The checkpoint in a step's stored result, or null when there is none (a first run, another version's result).</summary>
    public static ReductionCheckpoint? Read(string? json)
    {
        if (json is null)
        {
            return null;
        }

        try
        {
            return JsonSerializer.Deserialize<ReductionCheckpoint>(json, Json) is { Before: not null } checkpoint ? checkpoint : null;
        }
        catch (JsonException)
        {
            // Not a checkpoint (a step result from before checkpoints): the reduction starts over from the flag's state.
            return null;
        }
    }
}
