using System.Net;
using System.Net.Sockets;
using System.Text;

namespace Messenger.Media.Tests.Infrastructure;

/// <summary>An upload over a raw socket that sends only part of the body it announced, then drops the connection.</summary>
public sealed class InterruptedUpload : IDisposable
{
    private readonly TcpClient tcp;

    private InterruptedUpload(TcpClient tcp) => this.tcp = tcp;

    /// <summary>Sends the headers of a <c>POST /api/media</c> of <paramref name="announcedLength"/> bytes and the first <paramref name="part"/> of it.</summary>
    public static async Task<InterruptedUpload> StartAsync(MediaHost host, TestUser user, byte[] part, long announcedLength)
    {
        var tcp = new TcpClient();
        await tcp.ConnectAsync(IPAddress.Loopback, host.BaseAddress.Port);
        var stream = tcp.GetStream();
        var head = $"POST /api/media HTTP/1.1\r\nHost: 127.0.0.1:{host.BaseAddress.Port}\r\nAuthorization: Bearer {user.Token}\r\n"
            + $"Content-Type: application/octet-stream\r\nContent-Length: {announcedLength}\r\n\r\n";
        await stream.WriteAsync(Encoding.ASCII.GetBytes(head));
        await stream.WriteAsync(part);
        await stream.FlushAsync();
        return new InterruptedUpload(tcp);
    }

    /// <summary>Drops the connection at once (a reset, as when a phone loses its network).</summary>
    public void Abort()
    {
        tcp.Client.LingerState = new LingerOption(true, 0);
        tcp.Close();
    }

    public void Dispose() => tcp.Dispose();
}
