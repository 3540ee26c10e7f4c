using System.Text.Json.Nodes;
using System.Text.Json.Serialization;

namespace Watchdog.Kubernetes;

/// <summary>The <c>Status</c> body of a failed request. Callers branch on <see cref="Reason"/> and <see cref="Code"/>, never the message.</summary>
internal sealed class KubernetesStatus : KubernetesObject
{
    [JsonPropertyName("status")]
    public string? Status { get; set; }

    [JsonPropertyName("message")]
    public string? Message { get; set; }

    /// <summary>NotFound, Conflict, AlreadyExists, Invalid, UnsupportedMediaType, Unauthorized, Forbidden, ...</summary>
    [JsonPropertyName("reason")]
    public string? Reason { get; set; }

    [JsonPropertyName("details")]
    public JsonObject? Details { get; set; }

    [JsonPropertyName("code")]
    public int Code { get; set; }
}
