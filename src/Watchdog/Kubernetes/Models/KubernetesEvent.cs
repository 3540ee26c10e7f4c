using System.Text.Json.Serialization;

namespace Watchdog.Kubernetes;

/// <summary>A core/v1 Event, the kind client-go's recorder posts and every cluster accepts.</summary>
internal sealed class KubernetesEvent : KubernetesObject
{
    [JsonPropertyName("involvedObject")]
    public ObjectReference InvolvedObject { get; set; } = new();

    [JsonPropertyName("reason")]
    public string? Reason { get; set; }

    [JsonPropertyName("message")]
    public string? Message { get; set; }

    [JsonPropertyName("source")]
    public EventSource? Source { get; set; }

    [JsonPropertyName("firstTimestamp")]
    [JsonConverter(typeof(KubernetesTimeConverter))]
    public DateTimeOffset? FirstTimestamp { get; set; }

    [JsonPropertyName("lastTimestamp")]
    [JsonConverter(typeof(KubernetesTimeConverter))]
    public DateTimeOffset? LastTimestamp { get; set; }

    [JsonPropertyName("count")]
    public int? Count { get; set; }

    [JsonPropertyName("type")]
    public string? Type { get; set; }

    [JsonPropertyName("reportingComponent")]
    public string? ReportingComponent { get; set; }

    [JsonPropertyName("reportingInstance")]
    public string? ReportingInstance { get; set; }
}
