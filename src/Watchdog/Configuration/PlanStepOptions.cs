namespace Watchdog.Configuration;

/// <summary>One step of a target's plan for an action, e.g. <c>flag-reduce</c> with <c>flag: checkout-v2</c>.</summary>
internal sealed record PlanStepOptions
{
    /// <summary>The step's name, resolved against the action plug-ins when they are registered.</summary>
    public string Action { get; init; } = "";

    /// <summary>Every other key of the step, as text; a one-level mapping arrives as <c>parent.child</c> keys.</summary>
    public IReadOnlyDictionary<string, string> Parameters { get; init; } = new Dictionary<string, string>(StringComparer.Ordinal);
}
