namespace Watchdog.Incidents.Notifications;

/// <summary>
/// A message as Watchdog composes it, independent of the channel: the runbook's title line
/// (e.g. "ROLLBACK IN PROGRESS"), its fields in order (Environment, Previous Version, ...), and free text.
/// </summary>
/// <param name="Kind">Stable machine name, e.g. <c>rollback-in-progress</c>, <c>approval-requested</c>.</param>
internal sealed record NotificationMessage(string Kind, string Title, IReadOnlyList<KeyValuePair<string, string>> Fields, string? Text = null);
