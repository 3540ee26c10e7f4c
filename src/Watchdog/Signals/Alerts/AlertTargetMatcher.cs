using Watchdog.Configuration;

namespace Watchdog.Signals.Alerts;

/// <summary>
/// Ties an alert to every target whose <see cref="TargetOptions.AlertMatchers"/> all appear, with equal values, in
/// the alert's labels. A target without matchers takes no alerts.
/// </summary>
internal sealed class AlertTargetMatcher(IEnumerable<TargetOptions> targets)
{
    private readonly (string Name, KeyValuePair<string, string>[] Matchers)[] _targets =
        [.. targets.Where(t => t.AlertMatchers.Count > 0).Select(t => (t.Name, t.AlertMatchers.ToArray()))];

    public IReadOnlyList<string> Match(IReadOnlyDictionary<string, string> labels)
    {
        ArgumentNullException.ThrowIfNull(labels);
        List<string>? matched = null;
        foreach (var (name, matchers) in _targets)
        {
            if (Array.TrueForAll(matchers, m => labels.TryGetValue(m.Key, out var value) && string.Equals(value, m.Value, StringComparison.Ordinal)))
            {
                (matched ??= []).Add(name);
            }
        }

        return matched ?? (IReadOnlyList<string>)[];
    }
}
