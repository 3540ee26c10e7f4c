namespace Watchdog.Signals.Alerts;

/// <summary>A webhook body read: its alerts, or why it was refused (one line, answered with 400).</summary>
internal sealed record AlertWebhookParse(IReadOnlyList<WebhookAlert> Alerts, string? Error)
{
    public bool IsValid => Error is null;

    public static AlertWebhookParse Refused(string error) => new([], error);
}
