using System.Text.Json.Serialization;

namespace Watchdog.Kubernetes;

internal sealed class LabelSelectorRequirement
{
    [JsonPropertyName("key")]
    public string Key { get; set; } = "";

    [JsonPropertyName("operator")]
    public string Operator { get; set; } = "";

    [JsonPropertyName("values")]
    public List<string>? Values { get; set; }
}
