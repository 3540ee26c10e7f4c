using System.Globalization;
using System.Text.Json.Nodes;

namespace Watchdog.Actions.Kubernetes;

/// <summary>
/// Reads a workload and its history as one state, for an undo to decide on: GET the workload, LIST its history, GET it
/// again. The reading stands when the two GETs show the same generation and spec, and the controller had observed
/// that generation before the LIST (else the newest ReplicaSet or ControllerRevision may not exist yet, and
/// "previous" would be a revision too old). A status written meanwhile does not matter: the history changes only
/// when the spec does. Otherwise it reads again, a pause apart, at most <see cref="MaxReads"/> times, and then says
/// why it could not decide. kubectl reads once (GET, LIST): another writer in between made Watchdog report "skipped"
/// against a template the deployment no longer had.
/// </summary>
internal static class WorkloadHistoryReader
{
    public const int MaxReads = 5;

    /// <summary>Between reads: long enough for a controller to act on a change, short enough for a rollback.</summary>
    public static readonly TimeSpan Pause = TimeSpan.FromSeconds(1);

    /// <param name="names">The workload's kind as the failure names it (<c>deployment</c>) and what its history is made of (<c>ReplicaSet</c>).</param>
    /// <param name="parse">The workload from the server's body (throws as the client does for a body that is not one).</param>
    /// <param name="listHistory">The LIST of the history of the workload as read.</param>
    public static async Task<HistorySnapshot<TWorkload, THistory>> ReadAsync<TWorkload, THistory>(
        ObjectChange change,
        ActionContext context,
        string resource,
        string path,
        (string Noun, string HistoryNoun) names,
        Func<string, TWorkload> parse,
        Func<TWorkload, Task<List<THistory>>> listHistory,
        CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(change);
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(parse);
        ArgumentNullException.ThrowIfNull(listHistory);
        for (var read = 1; ; read++)
        {
            var raw = await change.Client.GetRawAsync(path, cancellationToken);
            var workload = parse(raw);
            var before = WorkloadGeneration.Of(JsonNode.Parse(raw));
            string why;
            if (!before.IsObserved)
            {
                why = string.Create(CultureInfo.InvariantCulture,
                    $"its controller has not observed generation {before.Generation} yet (observedGeneration {before.ObservedGeneration}), so its newest {names.HistoryNoun} may not exist yet");
            }
            else
            {
                var history = await listHistory(workload);
                var again = await change.Client.GetRawAsync(path, cancellationToken);
                var after = WorkloadGeneration.Of(JsonNode.Parse(again));
                if (after.SameDesiredStateAs(before))
                {
                    // The second reading: the same spec and history, with the newest resourceVersion for the precondition.
                    return new HistorySnapshot<TWorkload, THistory>(again, parse(again), history, null);
                }

                raw = again;
                workload = parse(again);
                why = after.Generation == before.Generation
                    ? "its spec changed during the read"
                    : string.Create(CultureInfo.InvariantCulture, $"generation {before.Generation} became {after.Generation} during the read");
            }

            if (read == MaxReads)
            {
                return new HistorySnapshot<TWorkload, THistory>(raw, workload, [], $"the {names.Noun} kept changing while it was read: {why}; not rolled back");
            }

            await context.Journal.ProgressAsync($"{resource} read again: {why}", null, cancellationToken);
            await Task.Delay(Pause, context.Time, cancellationToken);
        }
    }
}
