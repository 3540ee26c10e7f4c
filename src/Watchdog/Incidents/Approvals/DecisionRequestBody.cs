namespace Watchdog.Incidents.Approvals;

/// <summary>The optional body of <c>POST .../approve</c> and <c>.../reject</c>: <c>{"comment": "..."}</c>.</summary>
internal sealed record DecisionRequestBody(string? Comment);
