namespace Watchdog.Configuration;

/// <summary>Where incidents and decisions are kept.</summary>
internal sealed record StoreOptions
{
    public StoreKind Kind { get; init; } = StoreKind.Sqlite;

    /// <summary>The SQLite database file (full path; the file's default is <c>data/watchdog.db</c> next to the config).</summary>
    public string Path { get; init; } = "";

    /// <summary>The PostgreSQL connection string; set when <see cref="Kind"/> is <see cref="StoreKind.Postgres"/>. May hold a password.</summary>
    public string? ConnectionString { get; init; }

    /// <summary>
    /// How long a write the executor must not lose (a step's start or end, a run's outcome) is tried again while the
    /// store does not answer, with backoff, before the run is left to be recovered (resumed or reported interrupted).
    /// </summary>
    public TimeSpan WriteRetryFor { get; init; } = TimeSpan.FromMinutes(5);

    // The connection string may carry a password; keep it out of anything that formats the options.
    public override string ToString() =>
        $"StoreOptions {{ Kind = {Kind}, Path = {Path}, ConnectionString = {(ConnectionString is null ? "" : "***")}, WriteRetryFor = {WriteRetryFor} }}";
}
