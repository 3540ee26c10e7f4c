using System.Text.Json.Nodes;
using Watchdog.Kubernetes;

namespace Watchdog.Actions.Kubernetes;

/// <summary>
/// A change sent under a resourceVersion precondition, and what a 409 means. The object is read again: the change
/// already in place means an earlier attempt was applied and its answer lost; a generation and spec unchanged since the
/// read mean only a controller wrote (status, which it does all through a rollout, exactly when a rollback is wanted),
/// so the change is sent again on the new version; any other change is someone else's, and is not overwritten. That
/// includes a spec changed and changed back (the generation moved): the spec is as read, but a change planned on the
/// history as read (which revision is "previous") may no longer be the one wanted.
/// </summary>
internal static class PreconditionedPatch
{
    public const int StatusOnlyRetries = 3;

    /// <param name="raw">The object as read, whose resourceVersion <paramref name="send"/> uses first.</param>
    /// <param name="send">Sends the change made for the object as read (its text is the argument).</param>
    /// <param name="inPlace">Whether the object, as read again, already carries the change.</param>
    /// <returns>Whether Watchdog's PATCH was answered with success, the change was found in place after a 409, or someone else changed the object.</returns>
    public static async Task<PatchOutcome> SendAsync(
        ObjectChange change, ActionContext context, string resource, string path, string raw, Func<string, Task> send, Func<string, bool> inPlace, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(change);
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(send);
        ArgumentNullException.ThrowIfNull(inPlace);
        var read = WorkloadGeneration.Of(JsonNode.Parse(raw));
        for (var attempt = 0; ; attempt++)
        {
            try
            {
                await send(raw);
                return PatchOutcome.Applied;
            }
            catch (KubernetesStatusException ex) when (ex.Code == 409)
            {
                var now = await change.Client.GetRawAsync(path, cancellationToken);
                if (inPlace(now))
                {
                    return PatchOutcome.FoundInPlace;
                }

                if (attempt == StatusOnlyRetries || !read.SameDesiredStateAs(WorkloadGeneration.Of(JsonNode.Parse(now))))
                {
                    return PatchOutcome.Conflict;
                }

                await context.Journal.ProgressAsync($"{resource} was written by its controller since it was read (status only); patching again", null, cancellationToken);
                raw = now;
            }
        }
    }
}
