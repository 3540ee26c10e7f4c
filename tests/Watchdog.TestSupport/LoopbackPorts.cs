using System.Net;
using System.Net.Sockets;

namespace Watchdog.TestSupport;

/// <summary>Ports on 127.0.0.1 for servers the tests start or point at.</summary>
internal static class LoopbackPorts
{
    /// <summary>A port nothing listens on right now: given by the system, then released (so connecting to it is refused until someone binds it).</summary>
    public static int Free()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
