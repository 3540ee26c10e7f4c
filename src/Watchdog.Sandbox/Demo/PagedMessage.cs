namespace Watchdog.Sandbox.Demo;

/// <summary>One message as the demo's pager received it: the runbook's title and its fields, in the order sent.</summary>
/// <param name="IncidentId">The incident it is about; null for a message about none.</param>
internal sealed record PagedMessage(string Title, IReadOnlyList<KeyValuePair<string, string>> Fields, long? IncidentId);
