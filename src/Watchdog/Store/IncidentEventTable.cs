using System.Data.Common;
using Watchdog.Records;

namespace Watchdog.Store;

internal static class IncidentEventTable
{
    public const string Select = "SELECT id, incident_id, at, kind, summary, detail FROM incident_events";

    public const string Insert = """
        INSERT INTO incident_events (incident_id, at, kind, summary, detail)
        VALUES (@incident_id, @at, @kind, @summary, @detail)
        RETURNING id
        """;

    public static DbCommand Bind(DbCommand command, IncidentEvent incidentEvent) => command
        .With("@incident_id", incidentEvent.IncidentId)
        .With("@at", incidentEvent.At)
        .With("@kind", incidentEvent.Kind)
        .With("@summary", incidentEvent.Summary)
        .With("@detail", incidentEvent.Detail);

    public static IncidentEvent Read(DbDataReader reader) =>
        new(reader.GetInt64(1), reader.Time(2), reader.GetString(3), reader.GetString(4), reader.TextOrNull(5))
        {
            Id = reader.GetInt64(0),
        };
}
