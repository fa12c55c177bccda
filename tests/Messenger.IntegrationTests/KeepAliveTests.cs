using System.Net.WebSockets;
using Messenger.Core.Ports;
using Messenger.IntegrationTests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;

namespace Messenger.IntegrationTests;

/// <summary>
/// The gateway pings every connection and drops one whose answer does not come in time; the WebSocket takes the answer
/// in only while the gateway is reading. A healthy client must not be dropped because the gateway itself was busy
/// (a slow send, a slow registration under a storm of connects) and stopped reading meanwhile.
/// </summary>
public sealed class KeepAliveTests
{
    /// <summary>Pings after this much quiet from the client, and a pong must be in within as long again (the least allowed).</summary>
    private const string ShortKeepAlive = "00:00:01";

    /// <summary>Longer than interval and timeout together, twice over.</summary>
    private static readonly TimeSpan Slow = TimeSpan.FromSeconds(4);

    private static readonly string[] Settings =
        ["--Messenger:Gateway:KeepAliveInterval", ShortKeepAlive, "--Messenger:Gateway:KeepAliveTimeout", ShortKeepAlive];

    [Fact]
    public async Task A_client_that_answers_pings_keeps_its_connection_while_its_send_is_slow_to_store()
    {
        await using var server = await StandaloneServer.StartAsync(new StandaloneServerOptions
        {
            Settings = Settings,
            Services = services => Decorate<IConversationOwner>(services, owner => new SlowAppendOwner(owner, Slow)),
        });
        var alice = await server.Api.RegisterAsync();
        var bob = await server.Api.RegisterAsync();
        var conversationId = await server.Api.DirectAsync(alice, bob);
        await using var bobWs = await server.Api.ConnectAsync(bob);
        await bobWs.RoundTripAsync();
        await using var aliceWs = await server.Api.ConnectAsync(alice);
        await aliceWs.RoundTripAsync();

        var sent = await aliceWs.SendMessageAsync(conversationId, "slow to store", "slow-1");
        await aliceWs.RoundTripAsync();

        Assert.Equal("sent", WsClient.Type(sent));
        Assert.Equal(WebSocketState.Open, aliceWs.State);
        var delivered = await bobWs.WaitForTypeAsync("message");
        Assert.Equal("slow to store", (string?)delivered["message"]!["text"]);
    }

    [Fact]
    public async Task A_client_that_answers_pings_keeps_its_connection_while_it_is_slow_to_come_online()
    {
        await using var server = await StandaloneServer.StartAsync(new StandaloneServerOptions
        {
            Settings = Settings,
            Services = services => Decorate<IPresenceDirectory>(services, presence => new SlowConnectPresence(presence, Slow)),
        });
        var alice = await server.Api.RegisterAsync();

        await using var aliceWs = await server.Api.ConnectAsync(alice);
        await Task.Delay(Slow);
        await aliceWs.RoundTripAsync();

        Assert.Equal(WebSocketState.Open, aliceWs.State);
    }

    /// <summary>Puts <paramref name="wrap"/> around the last registration of <typeparamref name="T"/> (a singleton).</summary>
    private static void Decorate<T>(IServiceCollection services, Func<T, T> wrap)
        where T : class
    {
        var inner = services.Last(d => d.ServiceType == typeof(T));
        services.AddSingleton(sp => wrap((T)(inner.ImplementationInstance
            ?? inner.ImplementationFactory?.Invoke(sp)
            ?? ActivatorUtilities.CreateInstance(sp, inner.ImplementationType!))));
    }
}
