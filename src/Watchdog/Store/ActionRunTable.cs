using System.Data.Common;
using Watchdog.Records;
using Watchdog.Rules;

namespace Watchdog.Store;

internal static class ActionRunTable
{
    public const string Select = """
        SELECT id, incident_id, target, action, authority, rule, status, dry_run, created_at, started_at, completed_at, reason
        FROM action_runs
        """;

    public const string Insert = """
        INSERT INTO action_runs (incident_id, target, action, authority, rule, status, dry_run, created_at, started_at, completed_at, reason)
        VALUES (@incident_id, @target, @action, @authority, @rule, @status, @dry_run, @created_at, @started_at, @completed_at, @reason)
        RETURNING id
        """;

    public const string Update = """
        UPDATE action_runs SET incident_id = @incident_id, target = @target, action = @action, authority = @authority,
               rule = @rule, status = @status, dry_run = @dry_run, created_at = @created_at, started_at = @started_at,
               completed_at = @completed_at, reason = @reason
        WHERE id = @id
        """;

    public static DbCommand Bind(DbCommand command, ActionRun run) => command
        .With("@id", run.Id)
        .With("@incident_id", run.IncidentId)
        .With("@target", run.Target)
        .With("@action", run.Action.ToName())
        .With("@authority", run.Authority.ToName())
        .With("@rule", run.Rule)
        .With("@status", run.Status.ToName())
        .With("@dry_run", run.DryRun)
        .With("@created_at", run.CreatedAt)
        .With("@started_at", run.StartedAt)
        .With("@completed_at", run.CompletedAt)
        .With("@reason", run.Reason);

    public static ActionRun Read(DbDataReader reader) => new()
    {
        Id = reader.GetInt64(0),
        IncidentId = reader.GetInt64(1),
        Target = reader.GetString(2),
        Action = StoredNames.Action(reader.GetString(3)),
        Authority = StoredNames.Authority(reader.GetString(4)),
        Rule = reader.GetString(5),
        Status = ActionRunStatuses.Parse(reader.GetString(6)),
        DryRun = reader.GetBoolean(7),
        CreatedAt = reader.Time(8),
        StartedAt = reader.TimeOrNull(9),
        CompletedAt = reader.TimeOrNull(10),
        Reason = reader.TextOrNull(11),
    };
}
