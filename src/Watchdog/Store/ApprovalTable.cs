using System.Data.Common;
using Watchdog.Records;
using Watchdog.Rules;

namespace Watchdog.Store;

internal static class ApprovalTable
{
    public const string Select = """
        SELECT id, run_id, incident_id, target, action, required_authority, status, requested_at, decided_at, decided_by,
               comment, escalation_level, last_escalated_at
        FROM approvals
        """;

    public const string Insert = """
        INSERT INTO approvals (run_id, incident_id, target, action, required_authority, status, requested_at, decided_at,
               decided_by, comment, escalation_level, last_escalated_at)
        VALUES (@run_id, @incident_id, @target, @action, @required_authority, @status, @requested_at, @decided_at,
               @decided_by, @comment, @escalation_level, @last_escalated_at)
        RETURNING id
        """;

    /// <summary>Optimistic: writes only while the stored status is still <c>@expected</c>.</summary>
    public const string UpdateIfStatus = """
        UPDATE approvals SET run_id = @run_id, incident_id = @incident_id, target = @target, action = @action,
               required_authority = @required_authority, status = @status, requested_at = @requested_at,
               decided_at = @decided_at, decided_by = @decided_by, comment = @comment,
               escalation_level = @escalation_level, last_escalated_at = @last_escalated_at
        WHERE id = @id AND status = @expected
        """;

    public static DbCommand Bind(DbCommand command, Approval approval) => command
        .With("@id", approval.Id)
        .With("@run_id", approval.RunId)
        .With("@incident_id", approval.IncidentId)
        .With("@target", approval.Target)
        .With("@action", approval.Action.ToName())
        .With("@required_authority", approval.Required.ToName())
        .With("@status", approval.Status.ToName())
        .With("@requested_at", approval.RequestedAt)
        .With("@decided_at", approval.DecidedAt)
        .With("@decided_by", approval.DecidedBy)
        .With("@comment", approval.Comment)
        .With("@escalation_level", approval.EscalationLevel)
        .With("@last_escalated_at", approval.LastEscalatedAt);

    public static Approval Read(DbDataReader reader) => new()
    {
        Id = reader.GetInt64(0),
        RunId = reader.GetInt64(1),
        IncidentId = reader.GetInt64(2),
        Target = reader.GetString(3),
        Action = StoredNames.Action(reader.GetString(4)),
        Required = StoredNames.Authority(reader.GetString(5)),
        Status = ApprovalStatuses.Parse(reader.GetString(6)),
        RequestedAt = reader.Time(7),
        DecidedAt = reader.TimeOrNull(8),
        DecidedBy = reader.TextOrNull(9),
        Comment = reader.TextOrNull(10),
        EscalationLevel = reader.GetInt32(11),
        LastEscalatedAt = reader.TimeOrNull(12),
    };
}
