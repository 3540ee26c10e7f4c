using System.Globalization;
using System.Text.Json.Nodes;
using static Watchdog.Sandbox.Kubernetes.Workloads;

namespace Watchdog.Sandbox.Kubernetes;

/// <summary>
/// Server-side printing for <c>kubectl get</c> (Accept <c>as=Table</c>): the columns the real API server's printers give
/// Deployments, ReplicaSets, StatefulSets, DaemonSets, ControllerRevisions, Leases and Events (<see cref="EventRow"/>). Other kinds get the plain list, which
/// kubectl prints as NAME and AGE.
/// </summary>
internal static class TablePrinter
{
    public static bool Wants(string? accept) => accept is not null && accept.Contains("as=Table", StringComparison.Ordinal);

    public static JsonObject? Print(ResourceType type, IEnumerable<JsonObject> items, long revision, DateTimeOffset now)
    {
        (string Name, string Type)[] columns;
        Func<JsonObject, JsonNode?[]> cells;
        HashSet<string> wideOnly = [];
        if (type == ResourceCatalog.Deployments)
        {
            columns = [("Name", "string"), ("Ready", "string"), ("Up-to-date", "integer"), ("Available", "integer"), ("Age", "string")];
            cells = d => [Name(d), $"{Int(d["status"]?["readyReplicas"])}/{Int(d["spec"]?["replicas"])}",
                Int(d["status"]?["updatedReplicas"]), Int(d["status"]?["availableReplicas"]), Age(d, now)];
        }
        else if (type == ResourceCatalog.ReplicaSets)
        {
            columns = [("Name", "string"), ("Desired", "integer"), ("Current", "integer"), ("Ready", "integer"), ("Age", "string")];
            cells = rs => [Name(rs), Int(rs["spec"]?["replicas"]), Int(rs["status"]?["replicas"]), Int(rs["status"]?["readyReplicas"]), Age(rs, now)];
        }
        else if (type == ResourceCatalog.StatefulSets)
        {
            columns = [("Name", "string"), ("Ready", "string"), ("Age", "string")];
            cells = s => [Name(s), $"{Int(s["status"]?["readyReplicas"])}/{Int(s["spec"]?["replicas"])}", Age(s, now)];
        }
        else if (type == ResourceCatalog.DaemonSets)
        {
            columns = [("Name", "string"), ("Desired", "integer"), ("Current", "integer"), ("Ready", "integer"), ("Up-to-date", "integer"),
                ("Available", "integer"), ("Node Selector", "string"), ("Age", "string")];
            cells = ds => [Name(ds), Int(ds["status"]?["desiredNumberScheduled"]), Int(ds["status"]?["currentNumberScheduled"]),
                Int(ds["status"]?["numberReady"]), Int(ds["status"]?["updatedNumberScheduled"]), Int(ds["status"]?["numberAvailable"]),
                NodeSelector(ds), Age(ds, now)];
        }
        else if (type == ResourceCatalog.ControllerRevisions)
        {
            columns = [("Name", "string"), ("Controller", "string"), ("Revision", "integer"), ("Age", "string")];
            cells = cr => [Name(cr), Controller(cr), cr["revision"]?.GetValue<long>() ?? 0, Age(cr, now)];
        }
        else if (type == ResourceCatalog.Leases)
        {
            columns = [("Name", "string"), ("Holder", "string"), ("Age", "string")];
            cells = lease => [Name(lease), lease["spec"]?["holderIdentity"]?.GetValue<string>() ?? "", Age(lease, now)];
        }
        else if (type == ResourceCatalog.Events)
        {
            (columns, wideOnly) = (EventRow.Columns, EventRow.WideOnly);
            cells = e => EventRow.Cells(e, now);
        }
        else
        {
            return null;
        }

        var definitions = new JsonArray();
        foreach (var (name, kind) in columns)
        {
            definitions.Add(new JsonObject
            {
                ["name"] = name, ["type"] = kind, ["format"] = name == "Name" ? "name" : "", ["description"] = "", ["priority"] = wideOnly.Contains(name) ? 1 : 0,
            });
        }

        var rows = new JsonArray();
        foreach (var item in items)
        {
            rows.Add(new JsonObject
            {
                ["cells"] = new JsonArray(cells(item)),
                ["object"] = new JsonObject
                {
                    ["kind"] = "PartialObjectMetadata",
                    ["apiVersion"] = "meta.k8s.io/v1",
                    ["metadata"] = item["metadata"]?.DeepClone(),
                },
            });
        }

        return new JsonObject
        {
            ["kind"] = "Table",
            ["apiVersion"] = "meta.k8s.io/v1",
            ["metadata"] = new JsonObject { ["resourceVersion"] = revision.ToString(CultureInfo.InvariantCulture) },
            ["columnDefinitions"] = definitions,
            ["rows"] = rows,
        };
    }

    /// <summary>labels.FormatLabels of the pod template's nodeSelector: <c>k=v</c> sorted by key, or <c>&lt;none&gt;</c>.</summary>
    private static string NodeSelector(JsonObject ds) =>
        ds["spec"]?["template"]?["spec"]?["nodeSelector"] is JsonObject { Count: > 0 } selector
            ? string.Join(',', selector.OrderBy(p => p.Key, StringComparer.Ordinal).Select(p => $"{p.Key}={p.Value?.GetValue<string>()}"))
            : "<none>";

    /// <summary>The controller owner as <c>kind.group/name</c> (<c>daemonset.apps/node-agent</c>), or <c>&lt;none&gt;</c>.</summary>
    private static string Controller(JsonObject revision)
    {
        var owner = (revision["metadata"]?["ownerReferences"] as JsonArray ?? []).OfType<JsonObject>().FirstOrDefault(r => r["controller"]?.GetValue<bool>() == true);
        if (owner is null)
        {
            return "<none>";
        }

        var group = (owner["apiVersion"]?.GetValue<string>() ?? "").Split('/') is [var g, _] ? "." + g : "";
        return $"{owner["kind"]?.GetValue<string>().ToLowerInvariant()}{group}/{owner["name"]?.GetValue<string>()}";
    }

    private static string Age(JsonObject obj, DateTimeOffset now) =>
        obj["metadata"]?["creationTimestamp"]?.GetValue<string>() is { } created
            ? HumanDuration(now - DateTimeOffset.Parse(created, CultureInfo.InvariantCulture))
            : "<unknown>";

    /// <summary>apimachinery's duration.HumanDuration: two significant units at most.</summary>
    public static string HumanDuration(TimeSpan age)
    {
        var seconds = (long)age.TotalSeconds;
        var minutes = seconds / 60;
        var hours = minutes / 60;
        var c = CultureInfo.InvariantCulture;
        return seconds switch
        {
            < -1 => "<invalid>",
            < 0 => "0s",
            < 120 => string.Create(c, $"{seconds}s"),
            _ when minutes < 10 => seconds % 60 == 0 ? string.Create(c, $"{minutes}m") : string.Create(c, $"{minutes}m{seconds % 60}s"),
            _ when minutes < 180 => string.Create(c, $"{minutes}m"),
            _ when hours < 8 => minutes % 60 == 0 ? string.Create(c, $"{hours}h") : string.Create(c, $"{hours}h{minutes % 60}m"),
            _ when hours < 48 => string.Create(c, $"{hours}h"),
            _ when hours < 24 * 8 => hours % 24 == 0 ? string.Create(c, $"{hours / 24}d") : string.Create(c, $"{hours / 24}d{hours % 24}h"),
            _ when hours < 24 * 365 * 2 => string.Create(c, $"{hours / 24}d"),
            _ => string.Create(c, $"{hours / 24 / 365}y"),
        };
    }
}
