using System.Data.Common;
using System.Text.Json;
using Watchdog.Records;

namespace Watchdog.Store;

internal static class ActionStepTable
{
    public const string Select = """
        SELECT run_id, step_index, action, parameters, status, started_at, completed_at, attempts, result, error
        FROM action_steps
        """;

    public const string Insert = """
        INSERT INTO action_steps (run_id, step_index, action, parameters, status, started_at, completed_at, attempts, result, error)
        VALUES (@run_id, @step_index, @action, @parameters, @status, @started_at, @completed_at, @attempts, @result, @error)
        """;

    public const string Update = """
        UPDATE action_steps SET action = @action, parameters = @parameters, status = @status, started_at = @started_at,
               completed_at = @completed_at, attempts = @attempts, result = @result, error = @error
        WHERE run_id = @run_id AND step_index = @step_index
        """;

    public static DbCommand Bind(DbCommand command, ActionStep step) => command
        .With("@run_id", step.RunId)
        .With("@step_index", step.Index)
        .With("@action", step.Action)
        .With("@parameters", JsonSerializer.Serialize(step.Parameters))
        .With("@status", step.Status.ToName())
        .With("@started_at", step.StartedAt)
        .With("@completed_at", step.CompletedAt)
        .With("@attempts", step.Attempts)
        .With("@result", step.Result)
        .With("@error", step.Error);

    public static ActionStep Read(DbDataReader reader)
    {
        var parameters = JsonSerializer.Deserialize<Dictionary<string, string>>(reader.GetString(3))
            ?? throw new FormatException("step parameters stored as JSON null");
        return new ActionStep(reader.GetInt64(0), reader.GetInt32(1), reader.GetString(2), parameters)
        {
            Status = StepStatuses.Parse(reader.GetString(4)),
            StartedAt = reader.TimeOrNull(5),
            CompletedAt = reader.TimeOrNull(6),
            Attempts = reader.GetInt32(7),
            Result = reader.TextOrNull(8),
            Error = reader.TextOrNull(9),
        };
    }
}
