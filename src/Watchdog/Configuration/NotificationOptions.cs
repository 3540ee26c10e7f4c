namespace Watchdog.Configuration;

/// <summary>A channel incidents are announced on.</summary>
public sealed record NotificationOptions
{
    public string Name { get; init; } = "";

    public NotificationKind Kind { get; init; }

    public Uri Url { get; init; } = new("http://127.0.0.1/");
}
