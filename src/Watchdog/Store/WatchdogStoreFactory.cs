using Microsoft.Data.Sqlite;
using Npgsql;
using Watchdog.Configuration;
using Watchdog.Records;

namespace Watchdog.Store;

/// <summary>Opens the store the configuration asks for. Call <see cref="IWatchdogStore.MigrateAsync"/> before use.</summary>
internal static class WatchdogStoreFactory
{
    /// <param name="configDirectory">Where a relative SQLite path is resolved from (the config loader already makes it absolute).</param>
    public static IWatchdogStore Create(StoreOptions options, string configDirectory)
    {
        ArgumentNullException.ThrowIfNull(options);
        return options.Kind switch
        {
            StoreKind.Sqlite => OpenSqlite(Path.GetFullPath(options.Path, Path.GetFullPath(configDirectory))),
            StoreKind.Postgres => OpenPostgres(
                options.ConnectionString ?? throw new ArgumentException("store.connection_string is required for kind postgres", nameof(options))),
            _ => throw new ArgumentOutOfRangeException(nameof(options), options.Kind, "unknown store kind"),
        };
    }

    /// <summary>A SQLite store in this file (WAL mode); its folder is created if missing.</summary>
    public static IWatchdogStore OpenSqlite(string path)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(path);
        var fullPath = Path.GetFullPath(path);
        Directory.CreateDirectory(Path.GetDirectoryName(fullPath)!);
        var connectionString = new SqliteConnectionStringBuilder
        {
            DataSource = fullPath,
            Mode = SqliteOpenMode.ReadWriteCreate,
            ForeignKeys = true,
            Pooling = true,
        }.ToString();
        return new SqlWatchdogStore(new SqliteDataSource(connectionString), SqliteDialect.Instance, $"sqlite:{fullPath}");
    }

    /// <summary>A PostgreSQL store; the connection string is Npgsql's (<c>Host=...;Database=...;Username=...</c>).</summary>
    public static IWatchdogStore OpenPostgres(string connectionString)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(connectionString);
        var builder = new NpgsqlConnectionStringBuilder(connectionString);
        // Built from the parts that say where, so that a password in the connection string never reaches a log.
        var description = $"postgres://{builder.Username}@{builder.Host}:{builder.Port}/{builder.Database}";
        return new SqlWatchdogStore(NpgsqlDataSource.Create(builder), PostgresDialect.Instance, description);
    }
}
