namespace Watchdog.Configuration;

/// <summary>How an unanswered approval request escalates (the WMS runbook's "Escalation During Rollback").</summary>
internal sealed record ApprovalOptions
{
    /// <summary>Immediate: on-call; after 15 minutes: senior engineer and engineering manager; after 30: the CTO.</summary>
    public static readonly IReadOnlyList<EscalationLevelOptions> RunbookEscalation =
    [
        new(TimeSpan.Zero, ["on-call"]),
        new(TimeSpan.FromMinutes(15), ["senior-engineer", "engineering-manager"]),
        new(TimeSpan.FromMinutes(30), ["cto"]),
    ];

    /// <summary>Levels in rising order of <see cref="EscalationLevelOptions.After"/>; the first is notified at once.</summary>
    public IReadOnlyList<EscalationLevelOptions> Escalation { get; init; } = RunbookEscalation;
}

/// <summary>After <paramref name="After"/> unanswered, these people or roles are notified.</summary>
internal sealed record EscalationLevelOptions(TimeSpan After, IReadOnlyList<string> Notify);
