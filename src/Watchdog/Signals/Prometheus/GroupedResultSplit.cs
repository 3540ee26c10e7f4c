using Watchdog.Configuration;
using Watchdog.Rules;

namespace Watchdog.Signals.Prometheus;

/// <summary>
/// Hands each target its own series of a grouped query: the one whose <see cref="SignalOptions.GroupBy"/> labels
/// equal the target's variables. No such series is no data; two are an error naming them, because picking one
/// would hide a query that does not aggregate by the labels it claims to.
/// </summary>
internal static class GroupedResultSplit
{
    // Joins label values into one key; a unit separator cannot appear in any sane label value.
    private const char Separator = '\u001f';

    public static void Assign(
        PrometheusQueryResult result,
        SignalOptions signal,
        IReadOnlyList<SignalRequest> requests,
        IReadOnlyList<int> indexes,
        SignalValue[] values)
    {
        if (result.Error is { } error)
        {
            foreach (var index in indexes)
            {
                values[index] = SignalValue.Error(error);
            }

            return;
        }

        var bySeriesKey = new Dictionary<string, List<PrometheusSeries>>(result.Series.Count, StringComparer.Ordinal);
        foreach (var series in result.Series)
        {
            // A label Prometheus leaves out has the empty value, as in PromQL matching.
            var key = KeyOf(signal.GroupBy, name => series.Labels.GetValueOrDefault(name, ""));
            if (!bySeriesKey.TryGetValue(key, out var list))
            {
                list = new List<PrometheusSeries>(1);
                bySeriesKey[key] = list;
            }

            list.Add(series);
        }

        foreach (var index in indexes)
        {
            var target = requests[index].Target;
            if (signal.GroupBy.FirstOrDefault(name => QueryTemplate.ValueOf(target, name) is null) is { } missing)
            {
                values[index] = SignalValue.Error($"target '{target.Name}' has no variable '{missing}' to pick its series of signal '{signal.Name}'");
                continue;
            }

            var key = KeyOf(signal.GroupBy, name => QueryTemplate.ValueOf(target, name)!);
            values[index] = bySeriesKey.TryGetValue(key, out var matches)
                ? matches.Count == 1
                    ? SignalValue.Of(matches[0].Value)
                    : SignalValue.Error($"expected one series for target '{target.Name}', got {matches.Count}: {PrometheusSeries.DescribeAll(matches)}")
                : SignalValue.NoData;
        }
    }

    private static string KeyOf(IReadOnlyList<string> labels, Func<string, string> valueOf) =>
        labels.Count == 1 ? valueOf(labels[0]) : string.Join(Separator, labels.Select(valueOf));
}
