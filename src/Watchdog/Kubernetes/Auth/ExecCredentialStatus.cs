using System.Text.Json.Serialization;

namespace Watchdog.Kubernetes;

public sealed class ExecCredentialStatus
{
    [JsonPropertyName("token")]
    public string? Token { get; set; }

    [JsonPropertyName("expirationTimestamp")]
    [JsonConverter(typeof(KubernetesTimeConverter))]
    public DateTimeOffset? ExpirationTimestamp { get; set; }

    [JsonPropertyName("clientCertificateData")]
    public string? ClientCertificateData { get; set; }

    [JsonPropertyName("clientKeyData")]
    public string? ClientKeyData { get; set; }
}
