using System.Data.Common;
using Microsoft.Data.Sqlite;

namespace Watchdog.Store;

internal sealed class SqliteDialect : ISqlDialect
{
    private const int SqliteConstraint = 19;
    private const int SqliteConstraintPrimaryKey = 1555;
    private const int SqliteConstraintUnique = 2067;

    public static SqliteDialect Instance { get; } = new();

    public string IdentityColumn => "INTEGER PRIMARY KEY AUTOINCREMENT";

    public string BooleanType => "INTEGER";

    public string UnixMillisecondsNow => "CAST(unixepoch('subsec') * 1000 AS INTEGER)";

    // WAL lets readers go on while one writer writes; the mode is stored in the file, so once is enough.
    public string? BeforeMigration => "PRAGMA journal_mode = WAL;";

    // BEGIN IMMEDIATE already serializes migrations.
    public string? MigrationLock => null;

    public ValueTask<DbTransaction> BeginWriteAsync(DbConnection connection, CancellationToken cancellationToken)
    {
        // BEGIN IMMEDIATE: take the write lock now, not at the first write, so that what this transaction
        // reads cannot change before it writes. A plain (deferred) BEGIN would fail with SQLITE_BUSY at the
        // first write instead of waiting, whenever another writer committed in between.
        var transaction = ((SqliteConnection)connection).BeginTransaction(deferred: false);
        return ValueTask.FromResult<DbTransaction>(transaction);
    }

    public bool IsUniqueViolation(DbException exception) =>
        exception is SqliteException
        {
            SqliteErrorCode: SqliteConstraint,
            SqliteExtendedErrorCode: SqliteConstraintUnique or SqliteConstraintPrimaryKey,
        };

    public string ForShare => "";
}
