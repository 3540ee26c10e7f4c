using System.Globalization;

namespace Watchdog.Actions.Kubernetes;

/// <summary>
/// The undo actions' default mode, <c>previous-good</c>: the newest revision older than the running one whose template
/// is not known bad. With nothing known bad it is kubectl's "previous"; after two bad releases in a row it passes over
/// the first (kubectl would land on it) to the release before.
/// </summary>
internal static class PreviousGood
{
    public const string Mode = "previous-good";

    /// <summary>One revision in a workload's history, with the key its known-bad mark is kept under.</summary>
    /// <param name="Label">How the refusal names the template (<c>pod template 5d9c</c>).</param>
    internal readonly record struct Candidate(long Revision, string BadKey, string Label);

    /// <summary>
    /// <see cref="Revision"/> 0 means kubectl's own choice (no older revision at all: its "no history" error applies).
    /// </summary>
    internal readonly record struct Choice(long Revision, string? Error, string? Explanation);

    /// <param name="running">The running template's revision; null when the history does not hold it yet (the highest is taken, as kubectl does).</param>
    public static async Task<Choice> ChooseAsync(IActionJournal journal, string resource, long? running, IReadOnlyList<Candidate> history, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(journal);
        ArgumentNullException.ThrowIfNull(history);
        if (history.Count == 0)
        {
            return new Choice(0, null, null);
        }

        var from = running ?? history.Max(c => c.Revision);
        var skipped = new List<Candidate>();
        foreach (var candidate in history.Where(c => c.Revision < from).OrderByDescending(c => c.Revision))
        {
            if (!await journal.IsBadRevisionAsync(new RevisionRef(resource, candidate.BadKey), cancellationToken))
            {
                return new Choice(candidate.Revision, null, skipped.Count == 0 ? null : string.Create(CultureInfo.InvariantCulture,
                    $"previous good of {resource}: revision {candidate.Revision}, skipping known-bad {Names(skipped)}"));
            }

            skipped.Add(candidate);
        }

        return skipped.Count == 0
            ? new Choice(0, null, null)
            : new Choice(0, string.Create(CultureInfo.InvariantCulture,
                $"refused: every revision of {resource} older than the running revision {from} is known bad (skipped {Names(skipped)}); not rolling back"), null);
    }

    private static string Names(List<Candidate> skipped) =>
        (skipped.Count == 1 ? "revision " : "revisions ") + string.Join(", ", skipped.Select(c => string.Create(CultureInfo.InvariantCulture, $"{c.Revision} ({c.Label})")));
}
