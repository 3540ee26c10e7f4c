namespace Watchdog.Signals.Alerts;

/// <summary>The alerts of one webhook call, matched to their targets, waiting to be written with others in one group.</summary>
internal sealed class AlertIntakeCall(IReadOnlyList<WebhookAlert> alerts, IReadOnlyList<string>[] targets, DateTimeOffset receivedAt)
{
    public IReadOnlyList<WebhookAlert> Alerts => alerts;

    public IReadOnlyList<string>[] Targets => targets;

    public DateTimeOffset ReceivedAt => receivedAt;

    /// <summary>Per alert, whether the group's transaction wrote it (false: a duplicate); set once the group is written.</summary>
    public bool[] Stored { get; } = new bool[alerts.Count];
}
