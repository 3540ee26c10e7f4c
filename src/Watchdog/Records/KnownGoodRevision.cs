namespace Watchdog.Records;

/// <summary>
/// A revision of a workload that served a target healthily for the whole verify window. Identified by its pod
/// template hash, because revision numbers move: a rollback gives the re-used ReplicaSet a new, higher number.
/// </summary>
internal sealed record KnownGoodRevision(
    string Target,
    string Resource,
    string Revision,
    string TemplateHash,
    DateTimeOffset HealthySince,
    DateTimeOffset RecordedAt);
