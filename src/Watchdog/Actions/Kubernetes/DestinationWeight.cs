using System.Text.Json.Nodes;

namespace Watchdog.Actions.Kubernetes;

/// <summary>
/// One destination of an http route: where it is (<c>/spec/http/Route/route/Index</c>), what it is, its weight as
/// Istio reads it and the weight the reset gives it.
/// </summary>
/// <param name="HasWeight">Whether <c>weight</c> is written; an absent weight is 100 for a lone destination, else 0.</param>
internal sealed record DestinationWeight(int Route, int Index, string Label, JsonObject Destination, bool HasWeight, int Weight, int Target)
{
    public bool Changes => Weight != Target;

    public string WeightPath => $"/spec/http/{Route}/route/{Index}/weight";

    public string DestinationPath => $"/spec/http/{Route}/route/{Index}/destination";
}
