using System.Globalization;
using System.Net.Sockets;
using System.Text;

namespace Messenger.ReliabilityTests.Infrastructure;

/// <summary>
/// HTTP/1.1 over a plain socket, byte for byte: the path is sent as written (no client-side normalising of dot
/// segments or escapes) and the body as given (invalid UTF-8 included).
/// </summary>
public static class RawHttp
{
    public static async Task<(int Status, string Body)> SendAsync(Uri baseAddress, string method, string path, IEnumerable<string> headers, byte[] body)
    {
        using var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        await socket.ConnectAsync(baseAddress.Host, baseAddress.Port, timeout.Token);
        var head = new StringBuilder()
            .Append(CultureInfo.InvariantCulture, $"{method} {path} HTTP/1.1\r\nHost: {baseAddress.Authority}\r\nConnection: close\r\n")
            .Append(CultureInfo.InvariantCulture, $"Content-Length: {body.Length}\r\n");
        foreach (var header in headers)
        {
            head.Append(header).Append("\r\n");
        }

        head.Append("\r\n");
        await socket.SendAsync(Encoding.ASCII.GetBytes(head.ToString()), SocketFlags.None, timeout.Token);
        if (body.Length > 0)
        {
            await socket.SendAsync(body, SocketFlags.None, timeout.Token);
        }

        var response = new MemoryStream();
        var buffer = new byte[16 * 1024];
        try
        {
            int read;
            while ((read = await socket.ReceiveAsync(buffer, SocketFlags.None, timeout.Token)) > 0)
            {
                response.Write(buffer, 0, read);
            }
        }
        catch (SocketException) when (response.Length > 0)
        {
            // The server may reset after answering a request whose body it did not read to the end.
        }

        return Parse(response.ToArray());
    }

    private static (int Status, string Body) Parse(byte[] response)
    {
        var text = Encoding.Latin1.GetString(response);
        var split = text.IndexOf("\r\n\r\n", StringComparison.Ordinal);
        if (split < 0)
        {
            throw new InvalidOperationException("No complete HTTP response: " + text);
        }

        var lines = text[..split].Split("\r\n");
        var status = int.Parse(lines[0].Split(' ')[1], CultureInfo.InvariantCulture);
        var bodyBytes = response.AsSpan(split + 4).ToArray();
        if (lines.Any(l => l.StartsWith("Transfer-Encoding:", StringComparison.OrdinalIgnoreCase) && l.Contains("chunked", StringComparison.OrdinalIgnoreCase)))
        {
            bodyBytes = Unchunk(bodyBytes);
        }

        return (status, Encoding.UTF8.GetString(bodyBytes));
    }

    private static byte[] Unchunk(byte[] chunked)
    {
        var output = new MemoryStream();
        var at = 0;
        while (at < chunked.Length)
        {
            var lineEnd = Array.IndexOf(chunked, (byte)'\n', at);
            if (lineEnd < 0)
            {
                break;
            }

            var size = int.Parse(Encoding.ASCII.GetString(chunked, at, lineEnd - at).Trim().Split(';')[0], NumberStyles.HexNumber, CultureInfo.InvariantCulture);
            if (size == 0)
            {
                break;
            }

            output.Write(chunked, lineEnd + 1, size);
            at = lineEnd + 1 + size + 2;
        }

        return output.ToArray();
    }
}
