using System.Data.Common;
using Watchdog.Records;
using Watchdog.Rules;

namespace Watchdog.Store;

internal static class IncidentTable
{
    public const string Select = """
        SELECT id, target, policy, status, environment, detected_at, trigger_rule, trigger_action, trigger_authority,
               trigger_summary, action_started_at, action_completed_at, verified_healthy_at, closed_at, close_reason,
               closed_by, before_state, after_state, approved_by, breach_started_at
        FROM incidents
        """;

    public const string Insert = """
        INSERT INTO incidents (target, policy, status, environment, detected_at, trigger_rule, trigger_action, trigger_authority,
               trigger_summary, action_started_at, action_completed_at, verified_healthy_at, closed_at, close_reason,
               closed_by, before_state, after_state, approved_by, breach_started_at)
        VALUES (@target, @policy, @status, @environment, @detected_at, @trigger_rule, @trigger_action, @trigger_authority,
               @trigger_summary, @action_started_at, @action_completed_at, @verified_healthy_at, @closed_at, @close_reason,
               @closed_by, @before_state, @after_state, @approved_by, @breach_started_at)
        RETURNING id
        """;

    public const string Update = """
        UPDATE incidents SET target = @target, policy = @policy, status = @status, environment = @environment,
               detected_at = @detected_at, trigger_rule = @trigger_rule, trigger_action = @trigger_action,
               trigger_authority = @trigger_authority, trigger_summary = @trigger_summary,
               action_started_at = @action_started_at, action_completed_at = @action_completed_at,
               verified_healthy_at = @verified_healthy_at, closed_at = @closed_at, close_reason = @close_reason,
               closed_by = @closed_by, before_state = @before_state, after_state = @after_state, approved_by = @approved_by,
               breach_started_at = @breach_started_at
        WHERE id = @id
        """;

    public static DbCommand Bind(DbCommand command, Incident incident) => command
        .With("@id", incident.Id)
        .With("@target", incident.Target)
        .With("@policy", incident.Policy)
        .With("@status", incident.Status.ToName())
        .With("@environment", incident.Environment)
        .With("@detected_at", incident.DetectedAt)
        .With("@trigger_rule", incident.TriggerRule)
        .With("@trigger_action", incident.TriggerAction.ToName())
        .With("@trigger_authority", incident.TriggerAuthority.ToName())
        .With("@trigger_summary", incident.TriggerSummary)
        .With("@action_started_at", incident.ActionStartedAt)
        .With("@action_completed_at", incident.ActionCompletedAt)
        .With("@verified_healthy_at", incident.VerifiedHealthyAt)
        .With("@closed_at", incident.ClosedAt)
        .With("@close_reason", incident.CloseReason)
        .With("@closed_by", incident.ClosedBy)
        .With("@before_state", incident.BeforeState)
        .With("@after_state", incident.AfterState)
        .With("@approved_by", incident.ApprovedBy)
        .With("@breach_started_at", incident.BreachStartedAt);

    public static Incident Read(DbDataReader reader) => new()
    {
        Id = reader.GetInt64(0),
        Target = reader.GetString(1),
        Policy = reader.GetString(2),
        Status = IncidentStatuses.Parse(reader.GetString(3)),
        Environment = reader.TextOrNull(4),
        DetectedAt = reader.Time(5),
        TriggerRule = reader.GetString(6),
        TriggerAction = StoredNames.Action(reader.GetString(7)),
        TriggerAuthority = StoredNames.Authority(reader.GetString(8)),
        TriggerSummary = reader.GetString(9),
        ActionStartedAt = reader.TimeOrNull(10),
        ActionCompletedAt = reader.TimeOrNull(11),
        VerifiedHealthyAt = reader.TimeOrNull(12),
        ClosedAt = reader.TimeOrNull(13),
        CloseReason = reader.TextOrNull(14),
        ClosedBy = reader.TextOrNull(15),
        BeforeState = reader.TextOrNull(16),
        AfterState = reader.TextOrNull(17),
        ApprovedBy = reader.TextOrNull(18),
        BreachStartedAt = reader.TimeOrNull(19),
    };
}
