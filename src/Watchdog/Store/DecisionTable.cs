using System.Data.Common;
using Watchdog.Records;
using Watchdog.Rules;

namespace Watchdog.Store;

internal static class DecisionTable
{
    public const string Select = """
        SELECT id, target, policy, at, action, authority, inconclusive, rule, summary, explanation, incident_id
        FROM decisions
        """;

    public const string Insert = """
        INSERT INTO decisions (target, policy, at, action, authority, inconclusive, rule, summary, explanation, incident_id)
        VALUES (@target, @policy, @at, @action, @authority, @inconclusive, @rule, @summary, @explanation, @incident_id)
        RETURNING id
        """;

    public static DbCommand Bind(DbCommand command, DecisionRecord decision) => command
        .With("@target", decision.Target)
        .With("@policy", decision.Policy)
        .With("@at", decision.At)
        .With("@action", decision.Action.ToName())
        .With("@authority", decision.Authority.ToName())
        .With("@inconclusive", decision.Inconclusive)
        .With("@rule", decision.Rule)
        .With("@summary", decision.Summary)
        .With("@explanation", decision.ExplanationJson)
        .With("@incident_id", decision.IncidentId);

    public static DecisionRecord Read(DbDataReader reader) =>
        new(
            reader.GetString(1),
            reader.GetString(2),
            reader.Time(3),
            StoredNames.Action(reader.GetString(4)),
            StoredNames.Authority(reader.GetString(5)),
            reader.GetBoolean(6),
            reader.TextOrNull(7),
            reader.GetString(8),
            reader.GetString(9),
            reader.Int64OrNull(10))
        {
            Id = reader.GetInt64(0),
        };
}
