using Watchdog.Records;
using Watchdog.Rules;

namespace Watchdog.Incidents.Approvals;

/// <summary>An approval as the API shows it: enums by their policy names (<c>on-call</c>, <c>pending</c>, <c>rollback</c>).</summary>
internal sealed record ApprovalView(
    long Id,
    long RunId,
    long IncidentId,
    string Target,
    string Action,
    string Required,
    string Status,
    DateTimeOffset RequestedAt,
    DateTimeOffset? DecidedAt,
    string? DecidedBy,
    string? Comment,
    int EscalationLevel,
    DateTimeOffset? LastEscalatedAt)
{
    public static ApprovalView Of(Approval approval)
    {
        ArgumentNullException.ThrowIfNull(approval);
        return new(
            approval.Id,
            approval.RunId,
            approval.IncidentId,
            approval.Target,
            approval.Action.ToName(),
            approval.Required.ToName(),
            KebabNames<ApprovalStatus>.Of(approval.Status),
            approval.RequestedAt.ToUniversalTime(),
            approval.DecidedAt?.ToUniversalTime(),
            approval.DecidedBy,
            approval.Comment,
            approval.EscalationLevel,
            approval.LastEscalatedAt?.ToUniversalTime());
    }
}
