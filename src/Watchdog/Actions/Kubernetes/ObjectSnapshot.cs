using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.Json.Serialization.Metadata;
using Watchdog.Kubernetes;

namespace Watchdog.Actions.Kubernetes;

/// <summary>
/// An object as one GET returned it: the exact text (saved on the incident), the JSON a patch is computed from, and the
/// typed metadata an Event refers to.
/// </summary>
internal sealed record ObjectSnapshot(string Raw, JsonObject Json, GenericObject Typed)
{
    public static async Task<ObjectSnapshot> GetAsync(KubernetesClient client, string path, string kind, string apiVersion, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(client);
        var raw = await client.GetRawAsync(path, cancellationToken);
        try
        {
            var json = JsonNode.Parse(raw) as JsonObject ?? throw new JsonException("not a JSON object");
            var typed = JsonSerializer.Deserialize(raw, KubernetesJsonContext.Default.GenericObject)!;
            typed.Kind ??= kind;
            typed.ApiVersion ??= apiVersion;
            return new ObjectSnapshot(raw, json, typed);
        }
        catch (JsonException ex)
        {
            throw new KubernetesUnavailableException($"the server's answer is not a {kind}: {ex.Message}", ex);
        }
    }

    public string? ResourceVersion => Typed.Metadata.ResourceVersion;

    /// <summary>The server's body as <typeparamref name="T"/>; a body that is not one is an unusable answer.</summary>
    public static T Parse<T>(string raw, JsonTypeInfo<T> type)
    {
        try
        {
            return JsonSerializer.Deserialize(raw, type) ?? throw new KubernetesUnavailableException("the server answered with an empty body", null);
        }
        catch (JsonException ex)
        {
            throw new KubernetesUnavailableException($"the server's answer is not a {typeof(T).Name}: {ex.Message}", ex);
        }
    }
}
