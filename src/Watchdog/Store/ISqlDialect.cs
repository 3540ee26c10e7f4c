using System.Data.Common;

namespace Watchdog.Store;

/// <summary>
/// What differs between SQLite and PostgreSQL. Everything else (every query and every write) is one SQL
/// text that both run, so that the two stores cannot drift apart.
/// </summary>
internal interface ISqlDialect
{
    /// <summary>The column definition of a table's generated <c>id</c>.</summary>
    string IdentityColumn { get; }

    string BooleanType { get; }

    /// <summary>The database's clock as Unix milliseconds; only for <c>schema_migrations.applied_at</c>.</summary>
    string UnixMillisecondsNow { get; }

    /// <summary>Run on its own before the migration transaction (settings that cannot change inside one).</summary>
    string? BeforeMigration { get; }

    /// <summary>Run first inside the migration transaction so that two processes starting at once take turns.</summary>
    string? MigrationLock { get; }

    /// <summary>A transaction in which a read followed by a write cannot be overtaken by another writer's
    /// check-then-insert (or, where it can, the unique indexes turn the race into a conflict).</summary>
    ValueTask<DbTransaction> BeginWriteAsync(DbConnection connection, CancellationToken cancellationToken);

    bool IsUniqueViolation(DbException exception);

    /// <summary>What ends a SELECT that must hold its rows until commit (PostgreSQL <c>FOR SHARE</c>; SQLite's write transaction already does).</summary>
    string ForShare { get; }
}
