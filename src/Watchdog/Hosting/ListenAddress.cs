using System.Net;

namespace Watchdog.Hosting;

/// <summary>Whether <c>http.listen</c> keeps the API to this machine.</summary>
internal static class ListenAddress
{
    /// <summary>
    /// True for <c>localhost</c> and loopback addresses (127.0.0.0/8, ::1). Anything else counts as reachable from
    /// the network, a host name included: what it resolves to can change, and a wrong "safe" is the costly mistake.
    /// </summary>
    public static bool IsLoopback(string listen)
    {
        ArgumentNullException.ThrowIfNull(listen);
        if (!Uri.TryCreate(listen, UriKind.Absolute, out var url))
        {
            return false;
        }

        var host = url.Host.Trim('[', ']');
        return string.Equals(host, "localhost", StringComparison.OrdinalIgnoreCase)
            || (IPAddress.TryParse(host, out var address) && IPAddress.IsLoopback(address));
    }
}
