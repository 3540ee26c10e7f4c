using Watchdog.Rules;

namespace Watchdog.Records;

/// <summary>One execution of a target's plan for one decided action.</summary>
internal sealed record ActionRun
{
    public long Id { get; init; }

    public required long IncidentId { get; init; }

    public required string Target { get; init; }

    public required DecisionAction Action { get; init; }

    public required Authority Authority { get; init; }

    /// <summary>The rule that decided the action.</summary>
    public required string Rule { get; init; }

    public ActionRunStatus Status { get; init; }

    public bool DryRun { get; init; }

    public required DateTimeOffset CreatedAt { get; init; }

    public DateTimeOffset? StartedAt { get; init; }

    public DateTimeOffset? CompletedAt { get; init; }

    /// <summary>Why the run ended as it did (failure message, skip reason, rejecter's comment).</summary>
    public string? Reason { get; init; }
}
