using System.Globalization;

namespace Watchdog.Actions.Kubernetes;

/// <summary>The destinations of one http route of a VirtualService, with their weights now and after the reset.</summary>
internal sealed record RouteWeights(int Index, string? Name, IReadOnlyList<DestinationWeight> Destinations)
{
    /// <summary>The route's name, or its place (<c>http[0]</c>) for an unnamed one.</summary>
    public string Label => Name ?? string.Create(CultureInfo.InvariantCulture, $"http[{Index}]");

    public bool Changes => Destinations.Any(d => d.Changes);

    /// <summary>The weights as text, e.g. <c>stable=80 canary=20</c>.</summary>
    public string Describe(bool after) =>
        string.Join(' ', Destinations.Select(d => string.Create(CultureInfo.InvariantCulture, $"{d.Label}={(after ? d.Target : d.Weight)}")));
}
