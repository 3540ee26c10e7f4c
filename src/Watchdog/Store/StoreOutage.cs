using System.Data.Common;
using System.Net.Sockets;

namespace Watchdog.Store;

/// <summary>Tells an exception that says the store is away (unreachable, restarting, timing out) from one that says a call is wrong.</summary>
internal static class StoreOutage
{
    public static bool Is(Exception exception) =>
        exception is DbException or IOException or SocketException or TimeoutException
        || exception.InnerException is { } inner && Is(inner);
}
