namespace Watchdog.Configuration;

/// <summary>A channel incidents are announced on.</summary>
public sealed record NotificationOptions
{
    public string Name { get; init; } = "";

    public NotificationKind Kind { get; init; }

    public Uri Url { get; init; } = new("http://127.0.0.1/");

    /// <summary>
    /// Empty: the channel receives every message. Otherwise it receives only the approval messages addressed to one
    /// of these names (an escalation level's <c>notify</c>), e.g. a CTO's pager that must not hear about every rollback.
    /// </summary>
    public IReadOnlyList<string> OnlyFor { get; init; } = [];
}
