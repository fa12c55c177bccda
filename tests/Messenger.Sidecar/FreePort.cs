using System.Net;
using System.Net.Sockets;

namespace Messenger.Sidecar;

/// <summary>
/// A port free on 127.0.0.1 right now (as the Dapr CLI picks sidecar ports), and never one this process handed out
/// before: a run picks every app's and sidecar's ports before the apps bind them, and the kernel may offer a port
/// again while nobody holds it (a scale run of nine apps once got one port for an app and a sidecar).
/// </summary>
public static class FreePort
{
    private static readonly HashSet<int> Given = [];

    public static int Take() => Take(Ephemeral);

    /// <summary>The first port from <paramref name="candidate"/> not handed out before.</summary>
    public static int Take(Func<int> candidate)
    {
        ArgumentNullException.ThrowIfNull(candidate);
        lock (Given)
        {
            while (true)
            {
                var port = candidate();
                if (Given.Add(port))
                {
                    return port;
                }
            }
        }
    }

    private static int Ephemeral()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
