using System.Data.Common;
using Watchdog.Records;

namespace Watchdog.Store;

internal static class NotificationTable
{
    public const string Select = """
        SELECT id, incident_id, event_key, channel, kind, body, created_at, status, attempts, sent_at, last_error
        FROM notifications
        """;

    // Returns no row when the channel already has this event key: the caller learns it was a duplicate.
    public const string InsertUnlessQueued = """
        INSERT INTO notifications (incident_id, event_key, channel, kind, body, created_at, status, attempts, sent_at, last_error)
        VALUES (@incident_id, @event_key, @channel, @kind, @body, @created_at, @status, @attempts, @sent_at, @last_error)
        ON CONFLICT (channel, event_key) DO NOTHING
        RETURNING id
        """;

    public const string Update = """
        UPDATE notifications SET incident_id = @incident_id, event_key = @event_key, channel = @channel, kind = @kind,
               body = @body, created_at = @created_at, status = @status, attempts = @attempts, sent_at = @sent_at,
               last_error = @last_error
        WHERE id = @id
        """;

    public static DbCommand Bind(DbCommand command, OutboxNotification notification) => command
        .With("@id", notification.Id)
        .With("@incident_id", notification.IncidentId)
        .With("@event_key", notification.EventKey)
        .With("@channel", notification.Channel)
        .With("@kind", notification.Kind)
        .With("@body", notification.Body)
        .With("@created_at", notification.CreatedAt)
        .With("@status", notification.Status.ToName())
        .With("@attempts", notification.Attempts)
        .With("@sent_at", notification.SentAt)
        .With("@last_error", notification.LastError);

    public static OutboxNotification Read(DbDataReader reader) =>
        new(reader.Int64OrNull(1), reader.GetString(2), reader.GetString(3), reader.GetString(4), reader.GetString(5), reader.Time(6))
        {
            Id = reader.GetInt64(0),
            Status = NotificationStatuses.Parse(reader.GetString(7)),
            Attempts = reader.GetInt32(8),
            SentAt = reader.TimeOrNull(9),
            LastError = reader.TextOrNull(10),
        };
}
