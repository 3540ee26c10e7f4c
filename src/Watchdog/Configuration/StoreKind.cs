namespace Watchdog.Configuration;

internal enum StoreKind
{
    Sqlite,
    Postgres,
}
