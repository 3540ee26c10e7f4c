using System.Data.Common;
using Watchdog.Records;

namespace Watchdog.Store;

/// <summary>The <c>known_good_revisions</c> table: one row per target, resource and pod template, confirmed again on each healthy window.</summary>
internal static class KnownGoodTable
{
    public const string Select =
        "SELECT target, resource, revision, template_hash, healthy_since, recorded_at FROM known_good_revisions";

    // A template confirmed again moves to the front with its current revision number and the newer healthy window.
    public const string Upsert = """
        INSERT INTO known_good_revisions (target, resource, template_hash, revision, healthy_since, recorded_at)
        VALUES (@target, @resource, @template_hash, @revision, @healthy_since, @recorded_at)
        ON CONFLICT (target, resource, template_hash)
        DO UPDATE SET revision = excluded.revision, healthy_since = excluded.healthy_since, recorded_at = excluded.recorded_at
        """;

    public static DbCommand Bind(DbCommand command, KnownGoodRevision revision) => command
        .With("@target", revision.Target)
        .With("@resource", revision.Resource)
        .With("@template_hash", revision.TemplateHash)
        .With("@revision", revision.Revision)
        .With("@healthy_since", revision.HealthySince)
        .With("@recorded_at", revision.RecordedAt);

    public static KnownGoodRevision Read(DbDataReader reader) =>
        new(reader.GetString(0), reader.GetString(1), reader.GetString(2), reader.GetString(3), reader.Time(4), reader.Time(5));
}
