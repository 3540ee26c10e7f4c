using System.Text.Json;
using System.Text.Json.Nodes;

namespace Watchdog.Kubernetes;

/// <summary>
/// kubectl's view of a StatefulSet's or DaemonSet's history (polymorphichelpers/rollback.go and history.go, spec §2):
/// the ControllerRevisions it controls, the one an undo goes to, and the byte comparison that makes an undo "skipped".
/// </summary>
internal static class ControllerRevisionHistory
{
    /// <summary>The revisions with a controller owner reference carrying the owner's uid, in list order.</summary>
    public static List<ControllerRevision> Owned(KubernetesObject owner, IEnumerable<ControllerRevision> revisions)
    {
        ArgumentNullException.ThrowIfNull(owner);
        return revisions.Where(r => r.Metadata.OwnerReferences?.Any(o => o.Controller == true && o.Uid == owner.Metadata.Uid) == true).ToList();
    }

    /// <summary>
    /// kubectl's findHistory: <paramref name="toRevision"/> 0 takes the second-highest <c>.revision</c> and needs two
    /// revisions at least; N takes the first with revision N. The error texts are kubectl's.
    /// </summary>
    public static (ControllerRevision? Found, string? Error) Find(IReadOnlyList<ControllerRevision> owned, long toRevision)
    {
        ArgumentNullException.ThrowIfNull(owned);
        if (toRevision < 0)
        {
            return (null, DeploymentHistory.RevisionNotFound(toRevision));
        }

        if (toRevision == 0)
        {
            return owned.Count <= 1
                ? (null, "no last revision to roll back to")
                : (owned.OrderBy(r => r.Revision).ElementAt(owned.Count - 2), null);
        }

        return owned.FirstOrDefault(r => r.Revision == toRevision) is { } found
            ? (found, null)
            : (null, DeploymentHistory.RevisionNotFound(toRevision));
    }

    /// <summary>
    /// What kubectl builds from the live object to compare with a revision's <c>data</c>: Go's json.Marshal of
    /// <c>{"spec":{"template":TEMPLATE}}</c> with <c>"$patch":"replace"</c> in the template. kubectl first decodes the
    /// object into Go's typed struct, whose zero <c>metadata.creationTimestamp</c> encodes as null; the server's JSON is
    /// otherwise already in that struct's shape, so only that field is added when missing.
    /// </summary>
    public static string TemplatePatch(JsonObject? template)
    {
        var copy = template?.DeepClone().AsObject() ?? [];
        if (copy["metadata"] is not JsonObject metadata)
        {
            metadata = [];
            copy["metadata"] = metadata;
        }

        if (!metadata.ContainsKey("creationTimestamp"))
        {
            metadata["creationTimestamp"] = null;
        }

        copy["$patch"] = "replace";
        return GoJson.Marshal(new JsonObject { ["spec"] = new JsonObject { ["template"] = copy } });
    }

    /// <summary>kubectl's statefulsetMatch / daemonSetMatch: the live template's patch equals the revision's data byte for byte.</summary>
    public static bool Matches(JsonObject? template, ControllerRevision revision)
    {
        ArgumentNullException.ThrowIfNull(revision);
        return revision.Data is { } data && string.Equals(TemplatePatch(template), data.GetRawText(), StringComparison.Ordinal);
    }

    /// <summary>
    /// Whether the live template is the revision's, compared as values (hash labels and zero values aside): how a
    /// retried PATCH whose first attempt was applied is told apart from a change by someone else.
    /// </summary>
    public static bool HoldsTemplateOf(JsonObject? template, ControllerRevision revision)
    {
        ArgumentNullException.ThrowIfNull(revision);
        if (revision.Data is not { ValueKind: JsonValueKind.Object } data
            || JsonNode.Parse(data.GetRawText())?["spec"]?["template"] is not JsonObject target)
        {
            return false;
        }

        target.Remove("$patch");
        return PodTemplateEquality.EqualIgnoringHash(template, target);
    }

    /// <summary>
    /// The PATCH body: a revision's data verbatim (what kubectl sends), after a <c>metadata.resourceVersion</c>
    /// member when <paramref name="resourceVersion"/> is given. kubectl's strategic merge patch has no precondition; a
    /// resourceVersion in a patch body is one for the API server (a stale one is 409 Conflict, spec §5.4), and it
    /// changes nothing in the object the patch leaves, since the server sets a new resourceVersion anyway. Data that
    /// is not an object, or already has a metadata member (never written by a controller), is sent as it is.
    /// </summary>
    public static string RestorePatch(JsonElement data, string? resourceVersion)
    {
        var raw = data.GetRawText();
        if (string.IsNullOrEmpty(resourceVersion) || data.ValueKind != JsonValueKind.Object || data.TryGetProperty("metadata", out _))
        {
            return raw;
        }

        var precondition = "\"metadata\":{\"resourceVersion\":" + JsonValue.Create(resourceVersion).ToJsonString() + "}";
        var members = raw[1..^1];
        return members.Trim().Length == 0 ? "{" + precondition + "}" : "{" + precondition + "," + members + "}";
    }
}
