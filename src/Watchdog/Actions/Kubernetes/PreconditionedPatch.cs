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
    /// <returns>True when the change is in place; false when the spec changed under it (a conflict).</returns>
    public static async Task<bool> SendAsync(
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
                return true;
            }
            catch (KubernetesStatusException ex) when (ex.Code == 409)
            {
                var now = await change.Client.GetRawAsync(path, cancellationToken);
                if (inPlace(now))
                {
                    return true;
                }

                if (attempt == StatusOnlyRetries || !read.SameDesiredStateAs(WorkloadGeneration.Of(JsonNode.Parse(now))))
                {
                    return false;
                }

                await context.Journal.ProgressAsync($"{resource} was written by its controller since it was read (status only); patching again", null, cancellationToken);
                raw = now;
            }
        }
    }
}
