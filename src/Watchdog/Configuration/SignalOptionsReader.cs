using Microsoft.Extensions.Configuration;
using Watchdog.Plugins;

namespace Watchdog.Configuration;

/// <summary>The <c>signals</c> catalogue: each signal's source kind (from the plug-in registry), query and grouping.</summary>
internal sealed class SignalOptionsReader(ConfigReader reader, PluginRegistry plugins)
{
    private static readonly string[] SignalKeys = ["source", "query", "group_by", "group_query"];

    private readonly PluginKindReader _kinds = new(reader, plugins);

    public Dictionary<string, SignalOptions> Read(IConfiguration root)
    {
        var signals = new Dictionary<string, SignalOptions>(StringComparer.Ordinal);
        foreach (var entry in reader.Entries(root, "signals"))
        {
            if (entry.Value is not null)
            {
                reader.Error(entry.Path, "expected a mapping with source (and query), not a single value");
                continue;
            }

            reader.CheckKeys(entry, SignalKeys);
            // What a source takes (a query or none) is the source plug-in's own check.
            var source = _kinds.Read(entry, "source", PluginKind.SignalSource, PrometheusSourceOptions.SignalSource, out var plugin);
            var query = reader.Text(entry, "query");
            _kinds.Validate(entry, plugin, query is null ? new Dictionary<string, string>() : new Dictionary<string, string> { ["query"] = query }, SignalKeys);

            List<string> groupBy = [.. reader.Items(entry, "group_by").Select(item => reader.Scalar(item, required: true)).OfType<string>()];
            var groupQuery = reader.Text(entry, "group_query");
            if (groupQuery is not null && groupBy.Count == 0)
            {
                reader.Error(ConfigReader.KeyOf(entry, "group_query"), "needs group_by: the labels that tell the targets' series apart");
            }

            if (groupQuery is not null && QueryTemplate.VariablesIn(groupQuery).Count > 0)
            {
                reader.Error(ConfigReader.KeyOf(entry, "group_query"), "is one query for all targets and takes no {{variables}}");
            }

            signals[entry.Key] = new SignalOptions
            {
                Name = entry.Key,
                Source = source,
                Query = query,
                GroupBy = groupBy,
                GroupQuery = groupQuery,
            };
        }

        return signals;
    }
}
