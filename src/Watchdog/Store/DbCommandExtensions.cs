using System.Data;
using System.Data.Common;

namespace Watchdog.Store;

/// <summary>
/// Typed parameters and column reads shared by both databases. Every parameter carries its DbType, so that
/// PostgreSQL knows the type of a null.
/// </summary>
internal static class DbCommandExtensions
{
    public static DbCommand Command(this DbConnection connection, string sql, DbTransaction? transaction = null)
    {
        var command = connection.CreateCommand();
        command.CommandText = sql;
        command.Transaction = transaction;
        return command;
    }

    public static DbCommand With(this DbCommand command, string name, string? value) => Add(command, name, DbType.String, value);

    public static DbCommand With(this DbCommand command, string name, long? value) => Add(command, name, DbType.Int64, value);

    public static DbCommand With(this DbCommand command, string name, int value) => Add(command, name, DbType.Int32, value);

    public static DbCommand With(this DbCommand command, string name, bool value) => Add(command, name, DbType.Boolean, value);

    public static DbCommand With(this DbCommand command, string name, DateTimeOffset? value) =>
        Add(command, name, DbType.Int64, value is { } time ? StoreTime.ToMilliseconds(time) : null);

    public static async Task<List<T>> ReadAllAsync<T>(this DbCommand command, Func<DbDataReader, T> read, CancellationToken cancellationToken)
    {
        var rows = new List<T>();
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            rows.Add(read(reader));
        }

        return rows;
    }

    public static async Task<T?> ReadOneAsync<T>(this DbCommand command, Func<DbDataReader, T> read, CancellationToken cancellationToken)
        where T : class
    {
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        return await reader.ReadAsync(cancellationToken) ? read(reader) : null;
    }

    public static string? TextOrNull(this DbDataReader reader, int ordinal) =>
        reader.IsDBNull(ordinal) ? null : reader.GetString(ordinal);

    public static long? Int64OrNull(this DbDataReader reader, int ordinal) =>
        reader.IsDBNull(ordinal) ? null : reader.GetInt64(ordinal);

    public static DateTimeOffset Time(this DbDataReader reader, int ordinal) =>
        StoreTime.FromMilliseconds(reader.GetInt64(ordinal));

    public static DateTimeOffset? TimeOrNull(this DbDataReader reader, int ordinal) =>
        reader.IsDBNull(ordinal) ? null : StoreTime.FromMilliseconds(reader.GetInt64(ordinal));

    private static DbCommand Add(DbCommand command, string name, DbType type, object? value)
    {
        var parameter = command.CreateParameter();
        parameter.ParameterName = name;
        parameter.DbType = type;
        parameter.Value = value ?? DBNull.Value;
        command.Parameters.Add(parameter);
        return command;
    }
}
