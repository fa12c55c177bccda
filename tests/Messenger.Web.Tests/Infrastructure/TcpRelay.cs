using System.Net;
using System.Net.Sockets;

namespace Messenger.Web.Tests.Infrastructure;

/// <summary>
/// A loopback TCP relay in front of the server: one person's browser talks through it, so that the test can cut that
/// person's network (every connection dropped, new ones refused) while the server and everyone else carry on.
/// </summary>
public sealed class TcpRelay : IAsyncDisposable
{
    private readonly IPEndPoint target;
    private readonly List<TcpClient> open = [];
    private readonly Lock gate = new();
    private TcpListener? listener;
    private CancellationTokenSource? running;
    private Task accepting = Task.CompletedTask;

    private TcpRelay(IPEndPoint target) => this.target = target;

    public Uri BaseAddress { get; private set; } = null!;

    public static TcpRelay Start(Uri server)
    {
        var relay = new TcpRelay(new IPEndPoint(IPAddress.Loopback, server.Port));
        relay.Listen(0);
        return relay;
    }

    /// <summary>Drops every connection and stops listening: to the browser, the server has gone away.</summary>
    public async Task CutAsync()
    {
        if (listener is null)
        {
            return;
        }

        await running!.CancelAsync();
        listener.Stop();
        listener = null;
        lock (gate)
        {
            foreach (var client in open)
            {
                client.Client.LingerState = new LingerOption(true, 0);
                client.Dispose();
            }

            open.Clear();
        }

        await accepting;
    }

    /// <summary>Listens again on the same port.</summary>
    public void Restore() => Listen(BaseAddress.Port);

    public async ValueTask DisposeAsync() => await CutAsync();

    private void Listen(int port)
    {
        listener = new TcpListener(IPAddress.Loopback, port);
        listener.Server.SetSocketOption(SocketOptionLevel.Socket, SocketOptionName.ReuseAddress, true);
        listener.Start();
        BaseAddress = new Uri($"http://127.0.0.1:{((IPEndPoint)listener.LocalEndpoint).Port}/");
        running = new CancellationTokenSource();
        accepting = AcceptAsync(listener, running.Token);
    }

    private async Task AcceptAsync(TcpListener from, CancellationToken cancellationToken)
    {
        while (!cancellationToken.IsCancellationRequested)
        {
            TcpClient inbound;
            try
            {
                inbound = await from.AcceptTcpClientAsync(cancellationToken);
            }
            catch (Exception e) when (e is OperationCanceledException or SocketException or ObjectDisposedException)
            {
                return;
            }

            _ = RelayAsync(inbound, cancellationToken);
        }
    }

    private async Task RelayAsync(TcpClient inbound, CancellationToken cancellationToken)
    {
        var outbound = new TcpClient();
        lock (gate)
        {
            open.Add(inbound);
            open.Add(outbound);
        }

        try
        {
            await outbound.ConnectAsync(target, cancellationToken);
            using var either = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            var up = inbound.GetStream().CopyToAsync(outbound.GetStream(), either.Token);
            var down = outbound.GetStream().CopyToAsync(inbound.GetStream(), either.Token);
            await Task.WhenAny(up, down);
            await either.CancelAsync();
        }
        catch (Exception e) when (e is OperationCanceledException or IOException or SocketException or ObjectDisposedException)
        {
            // The relay was cut, or one side hung up.
        }
        finally
        {
            lock (gate)
            {
                open.Remove(inbound);
                open.Remove(outbound);
            }

            inbound.Dispose();
            outbound.Dispose();
        }
    }
}
