using System.Text.Json.Nodes;
using System.Text.RegularExpressions;

namespace Watchdog.Sandbox.Kubernetes;

/// <summary>
/// The ConfigMap validation worth simulating (core validation ValidateConfigMap with apimachinery IsConfigMapKey):
/// every key of <c>data</c> and <c>binaryData</c> must be a valid key, or the write is a 422 Invalid naming it.
/// </summary>
internal static partial class ConfigMapRules
{
    private const int MaxKeyLength = 253;

    // RegexError's wording, examples and all, as the server writes it.
    private const string KeyFormatMessage =
        "a valid config key must consist of alphanumeric characters, '-', '_' or '.' (e.g. 'key.name',  or 'KEY_NAME',  or 'key-name', regex used for validation is '[-._a-zA-Z0-9]+')";

    public static ApiStatus? Validate(ResourceType type, string name, JsonObject obj)
    {
        if (type != ResourceCatalog.ConfigMaps)
        {
            return null;
        }

        var causes = new List<(string, string)>();
        foreach (var field in new[] { "data", "binaryData" })
        {
            foreach (var (key, _) in obj[field] as JsonObject ?? [])
            {
                foreach (var problem in KeyProblems(key))
                {
                    causes.Add(($"{field}[{key}]", $"Invalid value: \"{key}\": {problem}"));
                }
            }
        }

        return causes.Count == 0 ? null : ApiStatus.Invalid(type, name, causes);
    }

    private static IEnumerable<string> KeyProblems(string key)
    {
        if (key.Length > MaxKeyLength)
        {
            yield return $"must be no more than {MaxKeyLength} characters";
        }

        if (!KeyFormat().IsMatch(key))
        {
            yield return KeyFormatMessage;
        }

        if (key == ".")
        {
            yield return "must not be '.'";
        }
        else if (key == "..")
        {
            yield return "must not be '..'";
        }
        else if (key.StartsWith("..", StringComparison.Ordinal))
        {
            yield return "must not start with '..'";
        }
    }

    // \z: Go's $ is the end of the text; .NET's $ would also match before a final newline.
    [GeneratedRegex("^[-._a-zA-Z0-9]+\\z")]
    private static partial Regex KeyFormat();
}
