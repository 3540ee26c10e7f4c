namespace Watchdog.Signals.Alerts;

/// <summary>The 200 answer to a webhook call, once every alert in it is committed to the store.</summary>
/// <param name="Received">Alerts in the notification.</param>
/// <param name="Stored">Alerts written now.</param>
/// <param name="Duplicates">Alerts already stored (same fingerprint, status and start): a retry or a repeat, nothing written.</param>
/// <param name="Unmatched">Alerts that match no target: stored all the same, with no target, and no signal changes.</param>
internal sealed record AlertIntakeReceipt(int Received, int Stored, int Duplicates, int Unmatched);
