using System.Buffers.Binary;
using System.Net.Sockets;
using System.Security.Cryptography;
using System.Text;

namespace Messenger.ReliabilityTests.Infrastructure;

/// <summary>
/// A client that upgrades to a WebSocket by hand over a TCP socket with a tiny receive buffer and then reads
/// nothing, like a phone that froze or a peer that stopped reading on purpose.
/// </summary>
public sealed class StalledClient : IDisposable
{
    private readonly Socket socket;

    private StalledClient(Socket socket) => this.socket = socket;

    public static async Task<StalledClient> ConnectAsync(Uri baseAddress, string token)
    {
        var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp) { ReceiveBufferSize = 2048 };
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(10));
        await socket.ConnectAsync(baseAddress.Host, baseAddress.Port, timeout.Token);
        var key = Convert.ToBase64String(RandomNumberGenerator.GetBytes(16));
        var request =
            $"GET /ws?access_token={Uri.EscapeDataString(token)} HTTP/1.1\r\nHost: {baseAddress.Authority}\r\nUpgrade: websocket\r\n" +
            $"Connection: Upgrade\r\nSec-WebSocket-Key: {key}\r\nSec-WebSocket-Version: 13\r\n\r\n";
        await socket.SendAsync(Encoding.ASCII.GetBytes(request), SocketFlags.None, timeout.Token);

        // Read the response head byte by byte, so that not one byte of the first frames is taken off the socket.
        var head = new StringBuilder();
        var one = new byte[1];
        while (!head.ToString().EndsWith("\r\n\r\n", StringComparison.Ordinal))
        {
            if (await socket.ReceiveAsync(one, SocketFlags.None, timeout.Token) == 0)
            {
                throw new InvalidOperationException("The server closed the socket during the upgrade: " + head);
            }

            head.Append((char)one[0]);
        }

        if (!head.ToString().StartsWith("HTTP/1.1 101", StringComparison.Ordinal))
        {
            socket.Dispose();
            throw new InvalidOperationException("The upgrade was refused: " + head);
        }

        return new StalledClient(socket);
    }

    /// <summary>
    /// Starts reading at last and reads to the end: the close status the server sent, if any, and whether the socket
    /// ended (EOF or reset) within <paramref name="wait"/>. A live connection keeps going and so ends false.
    /// </summary>
    public async Task<(bool Ended, int? CloseStatus)> DrainAsync(TimeSpan wait)
    {
        using var timeout = new CancellationTokenSource(wait);
        var stream = new MemoryStream();
        var buffer = new byte[64 * 1024];
        var ended = false;
        try
        {
            while (true)
            {
                var read = await socket.ReceiveAsync(buffer, SocketFlags.None, timeout.Token);
                if (read == 0)
                {
                    ended = true;
                    break;
                }

                stream.Write(buffer, 0, read);
            }
        }
        catch (SocketException)
        {
            ended = true;
        }
        catch (OperationCanceledException)
        {
        }

        return (ended, FindClose(stream.ToArray()));
    }

    public void Dispose() => socket.Dispose();

    /// <summary>Walks the server's (unmasked) frames and returns the status of a close frame, if one is complete.</summary>
    private static int? FindClose(byte[] bytes)
    {
        var at = 0;
        while (at + 2 <= bytes.Length)
        {
            var opcode = bytes[at] & 0x0F;
            long length = bytes[at + 1] & 0x7F;
            var header = 2;
            if (length == 126)
            {
                if (at + 4 > bytes.Length)
                {
                    return null;
                }

                length = BinaryPrimitives.ReadUInt16BigEndian(bytes.AsSpan(at + 2));
                header = 4;
            }
            else if (length == 127)
            {
                if (at + 10 > bytes.Length)
                {
                    return null;
                }

                length = (long)BinaryPrimitives.ReadUInt64BigEndian(bytes.AsSpan(at + 2));
                header = 10;
            }

            if (at + header + length > bytes.Length)
            {
                return null;
            }

            if (opcode == 0x8)
            {
                return length >= 2 ? BinaryPrimitives.ReadUInt16BigEndian(bytes.AsSpan(at + header)) : null;
            }

            at += header + (int)length;
        }

        return null;
    }
}
