namespace Watchdog.Hosting;

/// <summary>The leader in <c>GET /api/v1/ha</c>: its identity, the epoch of its term and since when it leads.</summary>
internal sealed record HaLeaderView(string Identity, long Epoch, DateTimeOffset? Since);
