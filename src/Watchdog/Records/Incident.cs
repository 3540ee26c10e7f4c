using Watchdog.Rules;

namespace Watchdog.Records;

/// <summary>
/// One bad stretch of one target: from the first decision other than none/inconclusive until the target has
/// been healthy for the recovery window after the last action (or someone closes it). At most one open per target.
/// </summary>
internal sealed record Incident
{
    public long Id { get; init; }

    public required string Target { get; init; }

    public required string Policy { get; init; }

    public IncidentStatus Status { get; init; } = IncidentStatus.Open;

    /// <summary>Free text for reports and messages, e.g. "production" (the target's <c>environment</c> variable or namespace).</summary>
    public string? Environment { get; init; }

    /// <summary>
    /// When the breach began: the first evaluation at which the trigger rule's condition held, the start of its
    /// <c>for</c> window (<see cref="DetectedAt"/> is when the window was satisfied). Null for incidents stored
    /// before it was recorded; durations then count from detection.
    /// </summary>
    public DateTimeOffset? BreachStartedAt { get; init; }

    public required DateTimeOffset DetectedAt { get; init; }

    /// <summary>The rule (matrix row or tree leaf) that opened the incident.</summary>
    public required string TriggerRule { get; init; }

    public required DecisionAction TriggerAction { get; init; }

    public required Authority TriggerAuthority { get; init; }

    /// <summary>The explanation's summary at detection: the values and thresholds that fired.</summary>
    public required string TriggerSummary { get; init; }

    public DateTimeOffset? ActionStartedAt { get; init; }

    public DateTimeOffset? ActionCompletedAt { get; init; }

    public DateTimeOffset? VerifiedHealthyAt { get; init; }

    public DateTimeOffset? ClosedAt { get; init; }

    /// <summary><c>recovered</c>, <c>manual</c>, or another short reason.</summary>
    public string? CloseReason { get; init; }

    public string? ClosedBy { get; init; }

    /// <summary>What was running before the action, e.g. "deployment/checkout revision 5" or "flag checkout-v2 at 50%".</summary>
    public string? BeforeState { get; init; }

    /// <summary>What runs after the action, e.g. "deployment/checkout revision 4" or "flag checkout-v2 at 10%".</summary>
    public string? AfterState { get; init; }

    /// <summary>Who approved the action (token name), or "automatic".</summary>
    public string? ApprovedBy { get; init; }

    /// <summary>Where the incident's durations count from: the breach, or detection when its start was not recorded.</summary>
    public DateTimeOffset BreachOrDetectedAt => BreachStartedAt ?? DetectedAt;

    /// <summary>The rule's <c>for</c> window: from the breach to the moment the rule was satisfied; null when not recorded.</summary>
    public TimeSpan? BreachToDetection => DetectedAt - BreachStartedAt;

    public TimeSpan? DetectionToAction => ActionStartedAt - DetectedAt;

    /// <summary>How long the last action took, from its start to done.</summary>
    public TimeSpan? ActionDuration => ActionCompletedAt - ActionStartedAt;

    public TimeSpan? ActionDoneToRecovery => VerifiedHealthyAt - ActionCompletedAt;

    public TimeSpan? ActionToRecovery => VerifiedHealthyAt - ActionStartedAt;

    /// <summary>From the breach (or detection, see <see cref="BreachOrDetectedAt"/>) to recovery or close.</summary>
    public TimeSpan? Total => (ClosedAt ?? VerifiedHealthyAt) - BreachOrDetectedAt;
}
