using System.Text.Json.Nodes;

namespace Watchdog.Sandbox.Kubernetes;

/// <summary>The discovery documents kubectl reads before any verb (spec §10): legacy APIVersions/APIGroupList forms.</summary>
internal static class Discovery
{
    public static JsonObject Version() => new()
    {
        ["major"] = "1",
        ["minor"] = "32",
        ["gitVersion"] = "v1.32.4",
        ["gitCommit"] = "simulated",
        ["gitTreeState"] = "clean",
        ["buildDate"] = "2025-04-22T00:00:00Z",
        ["goVersion"] = "go1.23.6",
        ["compiler"] = "gc",
        ["platform"] = "linux/amd64",
    };

    public static JsonObject Api(string serverAddress) => new()
    {
        ["kind"] = "APIVersions",
        ["versions"] = new JsonArray("v1"),
        ["serverAddressByClientCIDRs"] = new JsonArray(new JsonObject { ["clientCIDR"] = "0.0.0.0/0", ["serverAddress"] = serverAddress }),
    };

    public static JsonObject Apis()
    {
        var groups = new JsonArray();
        foreach (var gv in ResourceCatalog.All.Where(t => t.Group.Length > 0).Select(t => (t.Group, t.Version)).Distinct())
        {
            var version = new JsonObject { ["groupVersion"] = $"{gv.Group}/{gv.Version}", ["version"] = gv.Version };
            groups.Add(new JsonObject
            {
                ["name"] = gv.Group,
                ["versions"] = new JsonArray(version),
                ["preferredVersion"] = version.DeepClone(),
            });
        }

        return new JsonObject { ["kind"] = "APIGroupList", ["apiVersion"] = "v1", ["groups"] = groups };
    }

    public static JsonObject? Resources(string group, string version)
    {
        var types = ResourceCatalog.All.Where(t => t.Group == group && t.Version == version).ToList();
        if (types.Count == 0)
        {
            return null;
        }

        var resources = new JsonArray();
        foreach (var type in types)
        {
            resources.Add(new JsonObject
            {
                ["name"] = type.Plural,
                ["singularName"] = type.Kind.ToLowerInvariant(),
                ["namespaced"] = true,
                ["kind"] = type.Kind,
                ["verbs"] = new JsonArray("create", "delete", "get", "list", "patch", "update", "watch"),
                ["shortNames"] = new JsonArray(type.ShortNames.Select(s => (JsonNode?)s).ToArray()),
                ["categories"] = new JsonArray("all"),
            });
            if (type.HasScaleSubresource)
            {
                resources.Add(new JsonObject
                {
                    ["name"] = type.Plural + "/scale", ["singularName"] = "", ["namespaced"] = true, ["group"] = "autoscaling",
                    ["version"] = "v1", ["kind"] = "Scale", ["verbs"] = new JsonArray("get", "patch", "update"),
                });
            }

            if (type.HasStatusSubresource)
            {
                resources.Add(new JsonObject
                {
                    ["name"] = type.Plural + "/status", ["singularName"] = "", ["namespaced"] = true, ["kind"] = type.Kind,
                    ["verbs"] = new JsonArray("get", "patch", "update"),
                });
            }
        }

        return new JsonObject
        {
            ["kind"] = "APIResourceList",
            ["apiVersion"] = "v1",
            ["groupVersion"] = group.Length == 0 ? version : $"{group}/{version}",
            ["resources"] = resources,
        };
    }
}
