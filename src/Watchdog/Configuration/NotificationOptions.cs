using Watchdog.Secrets;

namespace Watchdog.Configuration;

/// <summary>A channel incidents are announced on.</summary>
internal sealed record NotificationOptions
{
    /// <summary>
    /// The kind whose URL keeps its secret in the path, so <see cref="ToString"/> shows only its host; the Slack
    /// channel declares it as its name.
    /// </summary>
    public const string SlackKind = "slack";

    public string Name { get; init; } = "";

    /// <summary>The registered channel kind (<c>slack</c> unless written otherwise).</summary>
    public string Kind { get; init; } = SlackKind;

    public Uri Url { get; init; } = new("http://127.0.0.1/");

    /// <summary>
    /// Empty: the channel receives every message. Otherwise it receives only the approval messages addressed to one
    /// of these names (an escalation level's <c>notify</c>), e.g. a CTO's pager that must not hear about every rollback.
    /// </summary>
    public IReadOnlyList<string> OnlyFor { get; init; } = [];

    // The compiler-generated ToString would print the URL whole into any log line that formats the options; a Slack
    // webhook keeps its secret in the path, so of that only the host is shown.
    public override string ToString() =>
        $"NotificationOptions {{ Name = {Name}, Kind = {Kind}, Url = {(Kind == SlackKind ? $"{Url.Scheme}://{Url.Authority}/{Redaction.Marker}" : Redaction.Url(Url))}, OnlyFor = [{string.Join(", ", OnlyFor)}] }}";
}
