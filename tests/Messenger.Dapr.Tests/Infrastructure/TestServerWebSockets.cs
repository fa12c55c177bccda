using Microsoft.AspNetCore.TestHost;

namespace Messenger.Dapr.Tests.Infrastructure;

/// <summary>The shared protocol client over the in-memory server's WebSocket client.</summary>
internal static class TestServerWebSockets
{
    /// <summary>A client's WebSocket to the gateway hosted by <paramref name="server"/>, as the holder of <paramref name="token"/>.</summary>
    public static Task<WsClient> ConnectWsAsync(this TestServer server, string token) =>
        WsClient.ConnectAsync(
            (uri, cancellationToken) => server.CreateWebSocketClient().ConnectAsync(uri, cancellationToken),
            server.BaseAddress,
            token,
            TestSettings.Timeout);
}
