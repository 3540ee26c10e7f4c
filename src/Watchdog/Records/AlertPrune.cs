namespace Watchdog.Records;

/// <summary>What one retention pass over the stored alerts removes.</summary>
/// <param name="Now">Whether an alert is still firing is judged at this time (its announced end).</param>
/// <param name="SeenBefore">Alerts last seen before this go, firing or not.</param>
/// <param name="Keep">Past the newest this many (by receipt), the rest go, except alerts still firing for a target.</param>
internal sealed record AlertPrune(DateTimeOffset Now, DateTimeOffset SeenBefore, int Keep);
