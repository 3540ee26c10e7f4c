using System.Text.Json;

namespace Watchdog.Incidents.Reports.Json;

/// <param name="Result">What the action reported, embedded as JSON.</param>
internal sealed record StepDocument(
    int Index,
    string Action,
    IReadOnlyDictionary<string, string> Parameters,
    string Status,
    DateTimeOffset? StartedAt,
    DateTimeOffset? CompletedAt,
    int Attempts,
    JsonElement? Result,
    string? Error);
