using Watchdog.Rules;

namespace Watchdog.Records;

/// <summary>A request for a person with at least <see cref="Required"/> authority to let a run go ahead.</summary>
internal sealed record Approval
{
    public long Id { get; init; }

    public required long RunId { get; init; }

    public required long IncidentId { get; init; }

    public required string Target { get; init; }

    public required DecisionAction Action { get; init; }

    public required Authority Required { get; init; }

    public ApprovalStatus Status { get; init; }

    public required DateTimeOffset RequestedAt { get; init; }

    public DateTimeOffset? DecidedAt { get; init; }

    /// <summary>The token name of who decided, or <c>auto</c>.</summary>
    public string? DecidedBy { get; init; }

    public string? Comment { get; init; }

    /// <summary>0 = on-call notified at once; each escalation adds one.</summary>
    public int EscalationLevel { get; init; }

    public DateTimeOffset? LastEscalatedAt { get; init; }
}
