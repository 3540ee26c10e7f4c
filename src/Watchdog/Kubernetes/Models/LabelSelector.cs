using System.Text.Json;
using System.Globalization;
using System.Text;
using System.Text.Json.Nodes;
using System.Text.Json.Serialization;

namespace Watchdog.Kubernetes;

internal sealed class LabelSelector
{
    [JsonPropertyName("matchLabels")]
    public Dictionary<string, string>? MatchLabels { get; set; }

    [JsonPropertyName("matchExpressions")]
    public List<LabelSelectorRequirement>? MatchExpressions { get; set; }

    [JsonExtensionData]
    public Dictionary<string, JsonElement>? Unmodelled { get; set; }

    /// <summary>
    /// The <c>labelSelector</c> query value, as apimachinery's LabelSelectorAsSelector renders it: requirements
    /// sorted by key, <c>k=v</c>, <c>k in (a,b)</c>, <c>k notin (a,b)</c>, <c>k</c>, <c>!k</c>, joined by commas.
    /// </summary>
    public string ToQuery()
    {
        var requirements = new List<(string Key, string Text)>();
        foreach (var (key, value) in MatchLabels ?? [])
        {
            requirements.Add((key, $"{key}={value}"));
        }

        foreach (var e in MatchExpressions ?? [])
        {
            var values = string.Join(',', (e.Values ?? []).Order(StringComparer.Ordinal));
            requirements.Add((e.Key, e.Operator switch
            {
                "In" => $"{e.Key} in ({values})",
                "NotIn" => $"{e.Key} notin ({values})",
                "Exists" => e.Key,
                "DoesNotExist" => "!" + e.Key,
                _ => throw new FormatException(string.Create(CultureInfo.InvariantCulture, $"label selector operator '{e.Operator}' is not valid")),
            }));
        }

        var text = new StringBuilder();
        foreach (var (_, requirement) in requirements.OrderBy(r => r.Key, StringComparer.Ordinal))
        {
            text.Append(text.Length == 0 ? "" : ",").Append(requirement);
        }

        return text.ToString();
    }
}
