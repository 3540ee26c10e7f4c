using System.Text.Json;
using System.Text.Json.Nodes;

namespace Watchdog.Secrets;

/// <summary>
/// A Kubernetes object as Watchdog keeps it for the record ("state saved"): every container's <c>env[].value</c> is
/// left out, wherever a pod spec sits in the object (a workload's template, a ControllerRevision's data, a pod).
/// Literal env values are where passwords end up when nobody used a Secret; the names and <c>valueFrom</c> stay, so
/// the record still says what the pod was given and from where.
/// </summary>
internal static class SavedStateRedaction
{
    /// <summary>What a saved state that is not a JSON object becomes: it cannot be searched for env values, so it is not kept.</summary>
    public const string Unreadable = "{\"unreadable\":\"the saved state was not a JSON object and is not kept\"}";

    private static readonly string[] ContainerLists = ["containers", "initContainers", "ephemeralContainers"];

    public static string Apply(string json)
    {
        ArgumentNullException.ThrowIfNull(json);
        JsonNode? root;
        try
        {
            root = JsonNode.Parse(json);
        }
        catch (JsonException)
        {
            return Unreadable;
        }

        if (root is not JsonObject)
        {
            return Unreadable;
        }

        Strip(root);
        return root.ToJsonString();
    }

    private static void Strip(JsonNode? node)
    {
        switch (node)
        {
            case JsonObject obj:
                foreach (var list in ContainerLists)
                {
                    if (obj[list] is JsonArray containers)
                    {
                        foreach (var env in containers.OfType<JsonObject>().Select(c => c["env"]).OfType<JsonArray>())
                        {
                            foreach (var variable in env.OfType<JsonObject>())
                            {
                                variable.Remove("value");
                            }
                        }
                    }
                }

                foreach (var (_, child) in obj)
                {
                    Strip(child);
                }

                break;
            case JsonArray array:
                foreach (var child in array)
                {
                    Strip(child);
                }

                break;
        }
    }
}
