using System.Net;
using System.Net.Sockets;

namespace Messenger.LoadTests.Client;

/// <summary>
/// Opens WebSockets over sockets bound to 127.0.0.N source addresses, round robin, so that one target can be
/// reached by more connections than one source address has ephemeral ports.
/// <see cref="System.Net.WebSockets.ClientWebSocket"/> cannot bind a local address itself, so the connection is
/// made here and handed over through a <see cref="SocketsHttpHandler.ConnectCallback"/>.
/// </summary>
public sealed class WebSocketConnector : IDisposable
{
    // IP_BIND_ADDRESS_NO_PORT (linux/in.h): pick the source port at connect time, per 4-tuple, not at bind time.
    private const int IpBindAddressNoPort = 24;
    private const int IpProtocolLevel = 0;

    private readonly IPAddress[] sources;
    private int next = -1;

    public WebSocketConnector(int sourceAddressCount)
    {
        sources = Enumerable.Range(1, Math.Clamp(sourceAddressCount, 1, 250))
            .Select(n => new IPAddress([127, 0, 0, (byte)n]))
            .ToArray();
        var handler = new SocketsHttpHandler
        {
            UseProxy = false,
            ConnectCallback = ConnectAsync,
            ConnectTimeout = TimeSpan.FromSeconds(30),
        };
        Invoker = new HttpMessageInvoker(handler);
    }

    public HttpMessageInvoker Invoker { get; }

    public int SourceAddressCount => sources.Length;

    public void Dispose() => Invoker.Dispose();

    private async ValueTask<Stream> ConnectAsync(SocketsHttpConnectionContext context, CancellationToken cancellationToken)
    {
        var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
        try
        {
            if (sources.Length > 1)
            {
                var source = sources[(int)((uint)Interlocked.Increment(ref next) % (uint)sources.Length)];
                socket.SetRawSocketOption(IpProtocolLevel, IpBindAddressNoPort, BitConverter.GetBytes(1));
                socket.Bind(new IPEndPoint(source, 0));
            }

            await socket.ConnectAsync(context.DnsEndPoint, cancellationToken);
            return new NetworkStream(socket, ownsSocket: true);
        }
        catch
        {
            socket.Dispose();
            throw;
        }
    }
}
