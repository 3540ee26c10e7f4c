using Watchdog.Configuration;
using Watchdog.Rules;

namespace Watchdog.Signals.Alerts;

/// <summary>
/// Ties an alert to every target whose <see cref="TargetOptions.AlertMatchers"/> all hold for the alert's labels
/// (see <see cref="LabelMatcher"/> for the operators). A target without matchers takes no alerts.
/// </summary>
internal sealed class AlertTargetMatcher(IEnumerable<TargetOptions> targets)
{
    private readonly (string Name, LabelMatcher[] Matchers)[] _targets =
        [.. targets.Where(t => t.AlertMatchers.Count > 0).Select(t => (t.Name, Compile(t.AlertMatchers)))];

    public IReadOnlyList<string> Match(IReadOnlyDictionary<string, string> labels)
    {
        ArgumentNullException.ThrowIfNull(labels);
        List<string>? matched = null;
        foreach (var (name, matchers) in _targets)
        {
            if (Array.TrueForAll(matchers, m => m.Matches(labels)))
            {
                (matched ??= []).Add(name);
            }
        }

        return matched ?? (IReadOnlyList<string>)[];
    }

    // Configuration loading has already refused any matcher that does not parse.
    private static LabelMatcher[] Compile(IReadOnlyDictionary<string, string> matchers) =>
        [.. matchers.Select(m => LabelMatcher.Parse(m.Key, m.Value).Matcher ?? throw new InvalidOperationException($"alerts.match.{m.Key}: not validated"))];
}
