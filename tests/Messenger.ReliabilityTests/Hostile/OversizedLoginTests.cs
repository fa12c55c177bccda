using System.Globalization;
using System.Net.Sockets;
using System.Text;
using Xunit.Abstractions;

namespace Messenger.ReliabilityTests.Hostile;

/// <summary>
/// Anonymous logins with huge bodies: refused before anything about them is kept, and the server's memory does not
/// grow with them (issue 16, finding 1).
/// </summary>
public sealed class OversizedLoginTests(ITestOutputHelper output)
{
    private const int Requests = 200;
    private const int BodyBytes = 10 * 1024 * 1024;
    private const long AllowedGrowth = 50L * 1024 * 1024;

    [Fact]
    public async Task Two_hundred_anonymous_logins_with_10_mb_bodies_get_400_or_413_and_memory_stays_within_50_mb()
    {
        using var data = new TempDirectory();
        await using var host = await ChildHost.StartAsync(data.Path);
        Assert.True(ProcessMemory.Available(host.ProcessId), "needs Linux /proc");

        // One ordinary failed login first, so that the refusal path is not met for the first time by the flood.
        Assert.Equal(401, (await SendAsync(host.BaseAddress, Encoding.UTF8.GetBytes("""{"username":"nobody_here","password":"wrong horse"}"""), chunked: false)).Status);
        var before = ProcessMemory.Resident(host.ProcessId);
        ProcessMemory.ResetPeak(host.ProcessId);

        var body = LoginBody();
        var statuses = new List<int>();
        long peak = 0;
        for (var i = 0; i < Requests && peak - before <= AllowedGrowth; i++)
        {
            // Half declare their length, half come chunked (no length to refuse them by).
            statuses.Add((await SendAsync(host.BaseAddress, body, chunked: i % 2 == 1)).Status);
            peak = ProcessMemory.Peak(host.ProcessId);
        }

        var after = ProcessMemory.Resident(host.ProcessId);
        output.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"{statuses.Count} requests of {BodyBytes:N0} bytes: {string.Join(", ", statuses.CountBy(s => s).Select(g => $"{g.Value} x {g.Key}"))}; " +
            $"RSS before {before / 1048576.0:F1} MiB, peak {peak / 1048576.0:F1} MiB (+{(peak - before) / 1048576.0:F1}), after {after / 1048576.0:F1} MiB"));
        Assert.True(peak - before <= AllowedGrowth, $"the server's resident memory grew by {(peak - before) / 1048576.0:F1} MiB (peak) after {statuses.Count} requests");
        Assert.Equal(Requests, statuses.Count);
        Assert.All(statuses, s => Assert.True(s is 400 or 413, $"status {s}"));
        Assert.False(host.HasExited);
    }

    /// <summary>A syntactically valid login whose username is ten megabytes.</summary>
    private static byte[] LoginBody()
    {
        var head = "{\"username\":\""u8;
        var tail = "\",\"password\":\"correct horse\"}"u8;
        var body = new byte[BodyBytes];
        head.CopyTo(body);
        body.AsSpan(head.Length, BodyBytes - head.Length - tail.Length).Fill((byte)'a');
        tail.CopyTo(body.AsSpan(BodyBytes - tail.Length));
        return body;
    }

    /// <summary>
    /// Sends the whole body as an attacker would, whatever the server answers meanwhile, and reads the answer at the
    /// same time: a server that refuses early may close the connection while the body is still being sent.
    /// </summary>
    private static async Task<(int Status, string Head)> SendAsync(Uri baseAddress, byte[] body, bool chunked)
    {
        using var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        await socket.ConnectAsync(baseAddress.Host, baseAddress.Port, timeout.Token);
        var head = $"POST /api/auth/login HTTP/1.1\r\nHost: {baseAddress.Authority}\r\nConnection: close\r\nContent-Type: application/json\r\n"
            + (chunked ? "Transfer-Encoding: chunked\r\n\r\n" : string.Create(CultureInfo.InvariantCulture, $"Content-Length: {body.Length}\r\n\r\n"));
        await socket.SendAsync(Encoding.ASCII.GetBytes(head), SocketFlags.None, timeout.Token);
        var reading = ReadAllAsync(socket, timeout.Token);
        try
        {
            const int Piece = 256 * 1024;
            for (var at = 0; at < body.Length; at += Piece)
            {
                var piece = body.AsMemory(at, Math.Min(Piece, body.Length - at));
                if (chunked)
                {
                    await socket.SendAsync(Encoding.ASCII.GetBytes($"{piece.Length:x}\r\n"), SocketFlags.None, timeout.Token);
                }

                await socket.SendAsync(piece, SocketFlags.None, timeout.Token);
                if (chunked)
                {
                    await socket.SendAsync("\r\n"u8.ToArray(), SocketFlags.None, timeout.Token);
                }
            }

            if (chunked)
            {
                await socket.SendAsync("0\r\n\r\n"u8.ToArray(), SocketFlags.None, timeout.Token);
            }
        }
        catch (SocketException)
        {
            // The server closed the connection after refusing the request: the rest of the body has nowhere to go.
        }

        var response = await reading;
        var text = Encoding.Latin1.GetString(response);
        var firstLine = text.Split("\r\n")[0];
        var parts = firstLine.Split(' ');
        return parts.Length >= 2 && int.TryParse(parts[1], CultureInfo.InvariantCulture, out var status)
            ? (status, text[..Math.Min(text.Length, 400)])
            : throw new InvalidOperationException($"No HTTP response ({response.Length} bytes): {text[..Math.Min(text.Length, 200)]}");
    }

    private static async Task<byte[]> ReadAllAsync(Socket socket, CancellationToken cancellationToken)
    {
        var response = new MemoryStream();
        var buffer = new byte[16 * 1024];
        try
        {
            int read;
            while ((read = await socket.ReceiveAsync(buffer, SocketFlags.None, cancellationToken)) > 0)
            {
                response.Write(buffer, 0, read);
            }
        }
        catch (SocketException) when (response.Length > 0)
        {
            // A reset after the answer (the server did not read the body to its end).
        }

        return response.ToArray();
    }
}
