using System.Data.Common;
using Watchdog.Incidents;

namespace Watchdog.Store;

internal static class AlertTable
{
    public const string Select = """
        SELECT id, fingerprint, status, alert_name, starts_at, ends_at, received_at, target, payload
        FROM alerts
        """;

    public const string InsertUnlessStored = """
        INSERT INTO alerts (fingerprint, status, alert_name, starts_at, ends_at, received_at, target, payload)
        VALUES (@fingerprint, @status, @alert_name, @starts_at, @ends_at, @received_at, @target, @payload)
        ON CONFLICT (fingerprint, status, starts_at) DO NOTHING
        RETURNING id
        """;

    public static DbCommand Bind(DbCommand command, ReceivedAlert alert) => command
        .With("@fingerprint", alert.Fingerprint)
        .With("@status", alert.Status)
        .With("@alert_name", alert.AlertName)
        .With("@starts_at", alert.StartsAt)
        .With("@ends_at", alert.EndsAt)
        .With("@received_at", alert.ReceivedAt)
        .With("@target", alert.Target)
        .With("@payload", alert.Payload);

    public static ReceivedAlert Read(DbDataReader reader) =>
        new(
            reader.GetString(1),
            reader.GetString(2),
            reader.GetString(3),
            reader.Time(4),
            reader.TimeOrNull(5),
            reader.Time(6),
            reader.TextOrNull(7),
            reader.GetString(8))
        {
            Id = reader.GetInt64(0),
        };
}
