using System.Text.Json.Nodes;

namespace Watchdog.Actions.Kubernetes;

/// <summary>
/// What <c>virtualservice-weights</c> does to a VirtualService, computed from the object as read: the http routes it
/// touches (a named one, or every route with the stable destination), 100 for the stable destination and 0 for every
/// other, and the one JSON Patch that does it.
/// </summary>
internal static class VirtualServiceWeightPlan
{
    /// <summary>The routes to reset, or why there are none: no route to the stable destination, or more than one in a route.</summary>
    /// <param name="display">The object as messages name it, e.g. <c>virtualservice production/wakala</c>.</param>
    public static (IReadOnlyList<RouteWeights>? Routes, string? Error) Plan(JsonObject virtualService, StableDestination stable, string? routeName, string display)
    {
        ArgumentNullException.ThrowIfNull(virtualService);
        ArgumentNullException.ThrowIfNull(stable);
        var http = virtualService["spec"]?["http"] as JsonArray ?? [];
        var routes = new List<RouteWeights>();
        var named = false;
        for (var i = 0; i < http.Count; i++)
        {
            var name = http[i]?["name"] is JsonValue n && n.TryGetValue<string>(out var text) ? text : null;
            if (routeName is not null && name != routeName)
            {
                continue;
            }

            named = true;
            var destinations = (http[i]?["route"] as JsonArray ?? []).Select(d => d?["destination"] as JsonObject).ToList();
            var stableAt = Enumerable.Range(0, destinations.Count).Where(j => stable.Matches(destinations[j])).ToList();
            if (stableAt.Count == 0)
            {
                continue;
            }

            var route = new RouteWeights(i, name, []);
            if (stableAt.Count > 1)
            {
                return (null, $"{display}: http route {route.Label} has {stableAt.Count} destinations with {stable} ({string.Join(", ", stableAt.Select(j => Label(destinations, j)))}); ambiguous, not changing weights");
            }

            var entries = (JsonArray)http[i]!["route"]!;
            routes.Add(route with
            {
                Destinations = Enumerable.Range(0, entries.Count).Select(j => Weigh(i, j, entries, Label(destinations, j), j == stableAt[0] ? 100 : 0)).ToList(),
            });
        }

        if (routeName is not null && !named)
        {
            return (null, $"{display} has no http route named {routeName}");
        }

        return routes.Count == 0
            ? (null, $"{display} has no route to {stable}{(routeName is null ? "" : $" in http route {routeName}")}")
            : (routes, null);
    }

    /// <summary>
    /// <c>test</c> of the resourceVersion, then for every weight that changes a <c>test</c> of the destination at that
    /// index and a <c>replace</c> of its weight (<c>add</c> where none is written).
    /// </summary>
    public static JsonArray Patch(string resourceVersion, IEnumerable<RouteWeights> routes)
    {
        ArgumentNullException.ThrowIfNull(routes);
        var operations = new JsonArray { Op("test", "/metadata/resourceVersion", resourceVersion) };
        foreach (var destination in routes.SelectMany(r => r.Destinations).Where(d => d.Changes))
        {
            operations.Add(Op("test", destination.DestinationPath, destination.Destination.DeepClone()));
            operations.Add(Op(destination.HasWeight ? "replace" : "add", destination.WeightPath, destination.Target));
        }

        return operations;
    }

    /// <summary>The weights as text: <c>stable=80 canary=20</c>, each route prefixed with its label when there are several.</summary>
    public static string Describe(IReadOnlyList<RouteWeights> routes, bool after)
    {
        ArgumentNullException.ThrowIfNull(routes);
        return routes.Count == 1 ? routes[0].Describe(after) : string.Join("; ", routes.Select(r => $"{r.Label}: {r.Describe(after)}"));
    }

    private static DestinationWeight Weigh(int route, int index, JsonArray entries, string label, int target)
    {
        var weight = entries[index]?["weight"];
        var has = weight is not null;
        // Istio: a lone destination without a weight gets all traffic; among several, an unweighted one gets none.
        var value = weight is JsonValue v && v.TryGetValue<int>(out var w) ? w : has ? -1 : entries.Count == 1 ? 100 : 0;
        return new DestinationWeight(route, index, label, entries[index]?["destination"] as JsonObject ?? [], has, value, target);
    }

    /// <summary>The subset names a destination, or its host when it has none; both when two destinations share a subset name.</summary>
    private static string Label(List<JsonObject?> destinations, int index)
    {
        static string? Text(JsonObject? d, string field) => d?[field] is JsonValue v && v.TryGetValue<string>(out var s) ? s : null;
        var subset = Text(destinations[index], "subset");
        var host = Text(destinations[index], "host") ?? "?";
        if (subset is null)
        {
            return host;
        }

        return destinations.Count(d => Text(d, "subset") == subset) > 1 ? $"{host}/{subset}" : subset;
    }

    private static JsonObject Op(string op, string path, JsonNode? value) => new() { ["op"] = op, ["path"] = path, ["value"] = value };
}
