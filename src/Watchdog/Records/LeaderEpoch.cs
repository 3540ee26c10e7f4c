namespace Watchdog.Records;

/// <summary>Who won the leader lock <see cref="Name"/> last, at which epoch, and when (one row per lock name).</summary>
internal sealed record LeaderEpoch(string Name, long Epoch, string Holder, DateTimeOffset Since);
