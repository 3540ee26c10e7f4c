using Watchdog.Rules;
using YamlDotNet.RepresentationModel;

namespace Watchdog.Configuration;

/// <summary>
/// The problems found in one policy file, each with its path and line, collected rather than thrown so that an
/// operator fixes them all in one go; with the checks every part of the policy reader shares (keys, durations).
/// </summary>
internal sealed class PolicyReadErrors(string file)
{
    private readonly List<ConfigError> _errors = [];

    public string File => file;

    public IReadOnlyList<ConfigError> All => _errors;

    public void Add(string path, int? line, string message) => _errors.Add(new ConfigError(file, line, path, message));

    public void CheckKeys(YamlMappingNode mapping, string path, string[] allowed)
    {
        foreach (var (key, at, message) in mapping.UnknownKeys(path, allowed))
        {
            Add(at, key.Line(), message);
        }
    }

    /// <summary>The duration at <paramref name="path"/>, null when absent or not a duration (then an error is added).</summary>
    public TimeSpan? ReadDuration(YamlNode? node, string path)
    {
        if (node.IsNull())
        {
            return null;
        }

        if (!DurationText.TryParse(node.Scalar(), out var duration))
        {
            Add(path, node!.Line(), $"'{node.Scalar()}' is not a duration: write it like 30s, 5m, 1h30m or 250ms");
            return null;
        }

        return duration;
    }
}
