using Microsoft.Extensions.Configuration;

namespace Watchdog.Configuration;

/// <summary>
/// In-memory keys whose children are found from an index by parent path, built once when the keys load.
/// The base provider scans every key on each <see cref="GetChildKeys"/> call, so reading N targets cost N × keys:
/// with 10,000 targets start-up took minutes. The answers are the base provider's: this provider's child
/// segments (one per key below the parent, repeats kept) with the earlier providers' keys, sorted by
/// <see cref="ConfigurationKeyComparer"/>; keys match case-insensitively.
/// </summary>
internal sealed class IndexedConfigurationProvider(IEnumerable<KeyValuePair<string, string?>> values) : ConfigurationProvider
{
    private readonly Dictionary<string, List<string>> _children = new(StringComparer.OrdinalIgnoreCase);
    private readonly List<string> _topLevel = [];

    public override void Load()
    {
        Data.Clear();
        _children.Clear();
        _topLevel.Clear();
        foreach (var (key, value) in values)
        {
            Set(key, value);
        }
    }

    public override void Set(string key, string? value)
    {
        var isNew = !Data.ContainsKey(key);
        Data[key] = value;
        if (isNew)
        {
            AddToIndex(key);
        }
    }

    public override IEnumerable<string> GetChildKeys(IEnumerable<string> earlierKeys, string? parentPath)
    {
        var own = parentPath is null ? _topLevel : _children.GetValueOrDefault(parentPath);
        var result = own is null ? [] : new List<string>(own);
        result.AddRange(earlierKeys);
        result.Sort(ConfigurationKeyComparer.Instance);
        return result;
    }

    // A key a:b:c is a child "a" of the top level, "b" of "a" and "c" of "a:b".
    private void AddToIndex(string key)
    {
        _topLevel.Add(Segment(key, 0));
        for (var colon = key.IndexOf(ConfigurationPath.KeyDelimiter, StringComparison.Ordinal); colon >= 0;
             colon = key.IndexOf(ConfigurationPath.KeyDelimiter, colon + 1, StringComparison.Ordinal))
        {
            var parent = key[..colon];
            if (!_children.TryGetValue(parent, out var children))
            {
                children = [];
                _children[parent] = children;
            }

            children.Add(Segment(key, colon + 1));
        }
    }

    private static string Segment(string key, int start)
    {
        var end = key.IndexOf(ConfigurationPath.KeyDelimiter, start, StringComparison.Ordinal);
        return end < 0 ? key[start..] : key[start..end];
    }
}
