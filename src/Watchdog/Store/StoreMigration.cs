namespace Watchdog.Store;

/// <summary>
/// One step of the schema. <see cref="Sql"/> is shared by both databases; <c>{id}</c> and <c>{bool}</c> stand
/// for <see cref="ISqlDialect.IdentityColumn"/> and <see cref="ISqlDialect.BooleanType"/>.
/// Never edit a shipped migration: add the next version.
/// </summary>
internal sealed record StoreMigration(int Version, string Description, string Sql)
{
    public string RenderFor(ISqlDialect dialect) =>
        Sql.Replace("{id}", dialect.IdentityColumn, StringComparison.Ordinal)
            .Replace("{bool}", dialect.BooleanType, StringComparison.Ordinal);
}
