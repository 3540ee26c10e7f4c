namespace Watchdog.Leadership;

/// <summary>One try at the leader lock: whether this replica holds it now, at which epoch, and who holds it otherwise.</summary>
internal readonly record struct LeaderLockAttempt(bool Held, long Epoch, string Holder, DateTimeOffset? HolderSince, string? Error = null)
{
    public static LeaderLockAttempt Failed(string error) => new(false, 0, "", null, error);
}
