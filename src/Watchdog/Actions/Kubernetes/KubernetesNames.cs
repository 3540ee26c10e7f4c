using System.Text.RegularExpressions;

namespace Watchdog.Actions.Kubernetes;

/// <summary>
/// The API server's name rules (apimachinery validation.go) checked when the configuration loads, so a typo is a
/// config error instead of a 404 or a 422 in the middle of an incident.
/// </summary>
internal static partial class KubernetesNames
{
    /// <summary>Object names (ConfigMaps, Deployments, ...): a DNS-1123 subdomain.</summary>
    public static string? ObjectNameProblem(string name) =>
        name.Length > 253 || !Subdomain().IsMatch(name)
            ? $"'{name}' is not an object name (lower-case letters, digits, '-' and '.', at most 253, starting and ending with a letter or digit)"
            : null;

    /// <summary>Namespaces: a DNS-1123 label.</summary>
    public static string? NamespaceProblem(string ns) =>
        ns.Length > 63 || !Label().IsMatch(ns)
            ? $"'{ns}' is not a namespace name (lower-case letters, digits and '-', at most 63, starting and ending with a letter or digit)"
            : null;

    /// <summary>IsConfigMapKey: <c>[-._a-zA-Z0-9]+</c>, at most 253, not <c>.</c> or <c>..</c> or starting with <c>..</c>.</summary>
    public static string? ConfigMapKeyProblem(string key)
    {
        if (key.Length > 253)
        {
            return $"'{key[..20]}...' is not a ConfigMap key (at most 253 characters)";
        }

        return !ConfigMapKey().IsMatch(key) || key == "." || key.StartsWith("..", StringComparison.Ordinal)
            ? $"'{key}' is not a ConfigMap key (letters, digits, '-', '_' and '.'; not '.' or '..' or starting with '..')"
            : null;
    }

    /// <summary>The namespace a step names, or <c>default</c> as kubectl without <c>-n</c>.</summary>
    public static string Namespace(IReadOnlyDictionary<string, string> parameters) =>
        parameters.GetValueOrDefault("namespace") is { Length: > 0 } given ? given : "default";

    // \z, not $: .NET's $ also matches before a final newline, and "name\n" is no name.
    [GeneratedRegex("^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*\\z")]
    private static partial Regex Subdomain();

    [GeneratedRegex("^[a-z0-9]([-a-z0-9]*[a-z0-9])?\\z")]
    private static partial Regex Label();

    [GeneratedRegex("^[-._a-zA-Z0-9]+\\z")]
    private static partial Regex ConfigMapKey();
}
