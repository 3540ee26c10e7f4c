using System.Text;

namespace Watchdog.Signals.Prometheus;

/// <summary>One series of an instant query's answer: its labels and its value (a scalar has no labels).</summary>
internal sealed record PrometheusSeries(IReadOnlyDictionary<string, string> Labels, double Value)
{
    private static readonly IReadOnlyDictionary<string, string> NoLabels = new Dictionary<string, string>(StringComparer.Ordinal);

    public static PrometheusSeries Scalar(double value) => new(NoLabels, value);

    /// <summary>The labels as PromQL writes them, sorted by name, e.g. <c>{code="500", job="app"}</c>.</summary>
    public string DescribeLabels()
    {
        var text = new StringBuilder("{");
        foreach (var (name, value) in Labels.OrderBy(label => label.Key, StringComparer.Ordinal))
        {
            if (text.Length > 1)
            {
                text.Append(", ");
            }

            text.Append(name).Append("=\"").Append(value).Append('"');
        }

        return text.Append('}').ToString();
    }

    /// <summary>The labels of up to five series, for an error that must say which series clashed.</summary>
    public static string DescribeAll(IReadOnlyList<PrometheusSeries> series)
    {
        const int Shown = 5;
        var described = string.Join(", ", series.Take(Shown).Select(s => s.DescribeLabels()));
        return series.Count > Shown ? $"{described} and {series.Count - Shown} more" : described;
    }
}
