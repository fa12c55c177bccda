using System.Net.WebSockets;
using System.Text.Json.Nodes;

namespace Messenger.DaprEndToEnd.Tests.Infrastructure;

/// <summary>
/// A client as the protocol asks it to behave when its connection ends: it connects again (to the same address) and
/// sends <c>sync</c> with the highest seq it holds of each conversation it follows, then carries on. Every connection
/// it had is kept, so that a test can check each one's frames and count the ones dropped without a close frame.
/// </summary>
public sealed class ReconnectingClient(ApiClient api, TestUser user, params string[] conversations) : IAsyncDisposable
{
    private static readonly TimeSpan ReconnectLimit = TimeSpan.FromSeconds(30);
    private readonly List<WsClient> connections = [];
    private readonly SemaphoreSlim gate = new(1, 1);

    public TestUser User { get; } = user;

    public IReadOnlyList<WsClient> Connections => connections;

    public WsClient Current => connections[^1];

    /// <summary>Connections that ended without the server's close frame (aborted), and ones closed with one.</summary>
    public int Aborted => connections.Count(c => c.Closed.IsCompleted && c.CloseStatus is null);

    public int Closed => connections.Count(c => c.Closed.IsCompleted && c.CloseStatus is not null);

    public async Task ConnectAsync()
    {
        connections.Add(await api.ConnectAsync(User));
    }

    /// <summary>Sends a frame on the current connection, connecting again first (and syncing) if it has ended; false
    /// when the connection broke under this very send (the frame may or may not have arrived).</summary>
    public async Task<bool> SendAsync(object frame)
    {
        await EnsureConnectedAsync();
        try
        {
            await Current.SendAsync(frame);
            return true;
        }
        catch (Exception e) when (e is WebSocketException or IOException or OperationCanceledException or ObjectDisposedException)
        {
            return false;
        }
    }

    public async Task EnsureConnectedAsync()
    {
        await gate.WaitAsync();
        try
        {
            if (!Current.Closed.IsCompleted && Current.State == WebSocketState.Open)
            {
                return;
            }

            var cursors = conversations.ToDictionary(c => c, c => connections.SelectMany(w => Seqs(w, c)).DefaultIfEmpty(0).Max());
            var watch = System.Diagnostics.Stopwatch.StartNew();
            while (true)
            {
                try
                {
                    var next = await api.ConnectAsync(User);
                    connections.Add(next);
                    await next.SendAsync(new { type = "sync", cursors });
                    return;
                }
                catch (Exception e) when (e is WebSocketException or IOException or OperationCanceledException && watch.Elapsed < ReconnectLimit)
                {
                    await Task.Delay(200);
                }
            }
        }
        finally
        {
            gate.Release();
        }
    }

    /// <summary>Every outcome (<c>sent</c> or <c>error</c>) of <paramref name="clientMessageId"/> on any connection, in order.</summary>
    public IEnumerable<JsonObject> Outcomes(string clientMessageId) =>
        connections.SelectMany(c => c.Received).Where(f => WsClient.IsOutcomeOf(f, clientMessageId));

    /// <summary>The seqs of the conversation's <c>message</c> frames on one connection, in arrival order.</summary>
    public static IEnumerable<long> Seqs(WsClient connection, string conversationId) =>
        connection.Received
            .Where(f => WsClient.Type(f) == "message" && (string?)f["message"]!["conversationId"] == conversationId)
            .Select(f => (long)f["message"]!["seq"]!);

    public async ValueTask DisposeAsync()
    {
        foreach (var connection in connections)
        {
            await connection.DisposeAsync();
        }
    }
}
