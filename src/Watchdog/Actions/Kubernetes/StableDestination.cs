using System.Text.Json.Nodes;

namespace Watchdog.Actions.Kubernetes;

/// <summary>How <c>virtualservice-weights</c> recognises the destination that gets all traffic: by its <c>subset</c> or by its <c>host</c>.</summary>
internal sealed record StableDestination(string Field, string Value)
{
    public static StableDestination Subset(string subset) => new("subset", subset);

    public static StableDestination Host(string host) => new("host", host);

    public bool Matches(JsonNode? destination) =>
        destination?[Field] is JsonValue value && value.TryGetValue<string>(out var text) && text == Value;

    /// <summary>As in "has no route to subset stable".</summary>
    public override string ToString() => $"{Field} {Value}";
}
