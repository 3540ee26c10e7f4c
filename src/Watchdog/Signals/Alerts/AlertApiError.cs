namespace Watchdog.Signals.Alerts;

/// <summary>The body of every error answer of the alert endpoints: one line for people.</summary>
internal sealed record AlertApiError(string Error);
