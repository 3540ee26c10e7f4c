namespace Watchdog.Configuration;

public enum StoreKind
{
    Sqlite,
    Postgres,
}
