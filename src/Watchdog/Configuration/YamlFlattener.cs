using Microsoft.Extensions.Configuration;
using YamlDotNet.Core;
using YamlDotNet.RepresentationModel;

namespace Watchdog.Configuration;

/// <summary>
/// Turns YAML into the key/value shape of Microsoft.Extensions.Configuration, remembering lines so that
/// errors found later, on bound values, can still point into the file.
/// </summary>
internal static class YamlFlattener
{
    public static FlattenedYaml Flatten(string yaml, string file)
    {
        var values = new Dictionary<string, string?>(StringComparer.OrdinalIgnoreCase);
        var lines = new Dictionary<string, int>(StringComparer.OrdinalIgnoreCase);
        if (YamlText.Load(new StringReader(yaml), file, out var syntaxError) is not { } stream)
        {
            return Failed(syntaxError!);
        }

        if (stream.Documents.Count == 0)
        {
            return new FlattenedYaml(values, lines, null);
        }

        if (stream.Documents.Count > 1)
        {
            return Failed(new ConfigError(file, LineOf(stream.Documents[1].RootNode.Start), "", "expected one YAML document, found several"));
        }

        var root = stream.Documents[0].RootNode;
        if (root is YamlScalarNode { Value: null or "" or "~" or "null" })
        {
            return new FlattenedYaml(values, lines, null);
        }

        if (root is not YamlMappingNode mapping)
        {
            return Failed(new ConfigError(file, LineOf(root.Start), "", "expected a mapping of settings at the top of the file"));
        }

        var duplicate = Visit(mapping, null, values, lines);
        return duplicate is null
            ? new FlattenedYaml(values, lines, null)
            : Failed(new ConfigError(file, duplicate.Value.Line, ConfigOrigins.DisplayPath(duplicate.Value.Key), "duplicate key"));
    }

    private static FlattenedYaml Failed(ConfigError error) =>
        new(new Dictionary<string, string?>(), new Dictionary<string, int>(), error);

    // Returns the first key that appears twice; configuration keys ignore case, so `Name` and `name` collide.
    private static (string Key, int Line)? Visit(YamlNode node, string? path, Dictionary<string, string?> values, Dictionary<string, int> lines)
    {
        switch (node)
        {
            case YamlMappingNode mapping:
                if (mapping.Children.Count == 0 && path is not null)
                {
                    values[path] = null;
                }

                foreach (var (keyNode, child) in mapping.Children)
                {
                    var key = keyNode is YamlScalarNode { Value: { } text } ? text : keyNode.ToString();
                    var childPath = path is null ? key : ConfigurationPath.Combine(path, key);
                    if (!lines.TryAdd(childPath, LineOf(keyNode.Start)))
                    {
                        return (childPath, LineOf(keyNode.Start));
                    }

                    if (Visit(child, childPath, values, lines) is { } duplicate)
                    {
                        return duplicate;
                    }
                }

                return null;

            case YamlSequenceNode sequence:
                if (sequence.Children.Count == 0)
                {
                    values[path!] = null;
                }

                for (var i = 0; i < sequence.Children.Count; i++)
                {
                    var itemPath = ConfigurationPath.Combine(path!, i.ToString(System.Globalization.CultureInfo.InvariantCulture));
                    lines[itemPath] = LineOf(sequence.Children[i].Start);
                    if (Visit(sequence.Children[i], itemPath, values, lines) is { } duplicate)
                    {
                        return duplicate;
                    }
                }

                return null;

            case YamlScalarNode scalar:
                values[path!] = IsNull(scalar) ? null : scalar.Value;
                return null;

            default:
                values[path!] = null;
                return null;
        }
    }

    private static bool IsNull(YamlScalarNode scalar) =>
        scalar.Style == ScalarStyle.Plain && scalar.Value is null or "" or "~" or "null" or "Null" or "NULL";

    private static int LineOf(Mark mark) => (int)mark.Line;
}
