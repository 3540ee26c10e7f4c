namespace Watchdog.Actions.Kubernetes;

/// <summary>How a change sent by <see cref="PreconditionedPatch"/> ended.</summary>
internal enum PatchOutcome
{
    /// <summary>The server answered Watchdog's own PATCH with success: Watchdog made the change.</summary>
    Applied,

    /// <summary>
    /// After a 409 the object already carried the change: an earlier attempt of Watchdog's whose answer was lost (the
    /// client retried it), or another writer who made the same change. Which of the two cannot be told from the object.
    /// </summary>
    FoundInPlace,

    /// <summary>Someone else changed the object since it was read; nothing was overwritten.</summary>
    Conflict,
}
