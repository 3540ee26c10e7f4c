using System.Data.Common;
using Watchdog.Records;

namespace Watchdog.Store;

internal static class AlertTable
{
    public const string Select = """
        SELECT id, fingerprint, status, alert_name, starts_at, ends_at, received_at, target, payload, last_seen_at
        FROM alerts
        """;

    public const string InsertUnlessStored = """
        INSERT INTO alerts (fingerprint, status, alert_name, starts_at, ends_at, received_at, target, payload, last_seen_at)
        VALUES (@fingerprint, @status, @alert_name, @starts_at, @ends_at, @received_at, @target, @payload, @received_at)
        ON CONFLICT (fingerprint, status, starts_at) DO NOTHING
        RETURNING id
        """;

    // A copy of an alert stored before: only its last-seen time moves (never back, should copies cross).
    public const string RenewStored = """
        UPDATE alerts SET last_seen_at = @received_at
        WHERE fingerprint = @fingerprint AND status = @status AND starts_at = @starts_at AND last_seen_at < @received_at
        """;

    // One statement for both limits. Past the cap (ids are in order of receipt), the earliest received go, but not an
    // alert still firing for a target: not resolved by a later row, not past its announced end. Anything not seen
    // within the retention goes, firing or not. The subquery is NULL while fewer than @keep rows exist, and then the
    // cap deletes nothing.
    public const string Prune = """
        DELETE FROM alerts
        WHERE last_seen_at < @seen_before
           OR (id <= (SELECT newer.id FROM alerts AS newer ORDER BY newer.id DESC LIMIT 1 OFFSET @keep)
               AND NOT (status = @firing
                        AND target IS NOT NULL
                        AND (ends_at IS NULL OR ends_at > @now)
                        AND NOT EXISTS (
                            SELECT 1 FROM alerts AS later
                            WHERE later.fingerprint = alerts.fingerprint AND later.status = @resolved AND later.starts_at >= alerts.starts_at)))
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
            LastSeenAt = reader.Time(9),
        };
}
