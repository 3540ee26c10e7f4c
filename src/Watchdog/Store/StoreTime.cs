namespace Watchdog.Store;

/// <summary>
/// Times are stored as Unix milliseconds (UTC) on both databases, so both keep the same precision:
/// anything finer than a millisecond is dropped, and times read back carry a zero offset.
/// </summary>
internal static class StoreTime
{
    public static long ToMilliseconds(DateTimeOffset time) => time.ToUnixTimeMilliseconds();

    public static DateTimeOffset FromMilliseconds(long milliseconds) => DateTimeOffset.FromUnixTimeMilliseconds(milliseconds);
}
