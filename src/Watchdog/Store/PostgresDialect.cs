using System.Data;
using System.Data.Common;
using Npgsql;

namespace Watchdog.Store;

internal sealed class PostgresDialect : ISqlDialect
{
    // Any constant will do as long as nothing else on the database uses it: "wdog" in ASCII.
    private const long MigrationLockKey = 0x77646f67;

    public static PostgresDialect Instance { get; } = new();

    public string IdentityColumn => "BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY";

    public string BooleanType => "BOOLEAN";

    public string UnixMillisecondsNow => "CAST(EXTRACT(EPOCH FROM clock_timestamp()) * 1000 AS BIGINT)";

    public string? BeforeMigration => null;

    // Two daemons starting together would otherwise race on CREATE TABLE IF NOT EXISTS, which is not atomic.
    public string? MigrationLock => $"SELECT pg_advisory_xact_lock({MigrationLockKey})";

    public async ValueTask<DbTransaction> BeginWriteAsync(DbConnection connection, CancellationToken cancellationToken) =>
        // Read committed: a check-then-insert can race, but the unique indexes turn the loser's insert into a
        // conflict, and conditional updates (approvals) re-check their WHERE after waiting for the row lock.
        await connection.BeginTransactionAsync(IsolationLevel.ReadCommitted, cancellationToken);

    public bool IsUniqueViolation(DbException exception) =>
        exception is PostgresException { SqlState: PostgresErrorCodes.UniqueViolation };

    public string ForShare => " FOR SHARE";
}
