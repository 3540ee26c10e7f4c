namespace Watchdog.Hosting;

/// <summary>What <c>GET /api/v1/ha</c> answers.</summary>
/// <param name="Enabled">False with one replica (<c>ha.lock: none</c>).</param>
/// <param name="Lock"><c>none</c>, <c>kubernetes</c> or <c>postgres</c>.</param>
/// <param name="Role"><c>leader</c> or <c>follower</c>.</param>
/// <param name="Leader">The holder last seen; null when none was seen yet.</param>
/// <param name="RenewedAt">On the leader, when it last renewed.</param>
/// <param name="Transitions">Terms this replica has begun since it started.</param>
internal sealed record HaView(bool Enabled, string Lock, string? LockName, string Identity, string Role, HaLeaderView? Leader, DateTimeOffset? RenewedAt, int Transitions);
