using System.Net;
using System.Net.Sockets;

namespace Messenger.Sidecar;

/// <summary>A port free on 127.0.0.1 right now (as the Dapr CLI picks sidecar ports).</summary>
public static class FreePort
{
    public static int Take()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
