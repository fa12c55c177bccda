using Messenger.Core.Events;
using Messenger.Embedded.Bus;
using Messenger.IntegrationTests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;

namespace Messenger.IntegrationTests;

/// <summary>Alice on gateway 1, Bob on gateway 2: everything crosses through presence routing and the bus.</summary>
public sealed class TwoGatewayTests(ServerFixture fixture) : IClassFixture<ServerFixture>
{
    private StandaloneServer Server => fixture.Server;

    [Fact]
    public async Task Messages_receipts_typing_and_presence_cross_between_gateways()
    {
        var alice = await Server.Api.RegisterAsync();
        var bob = await Server.Api.RegisterAsync();
        var chat = await Server.Api.DirectAsync(alice, bob);
        await using var aliceWs = await Server.Api.ConnectAsync(alice);
        await aliceWs.RoundTripAsync();
        await using var bobWs = await Server.SecondGatewayApi.ConnectAsync(bob);
        Assert.True((bool)(await aliceWs.WaitForAsync(f => WsClient.Type(f) == "presence" && (string?)f["userId"] == bob.UserId))["online"]!);

        await aliceWs.SendMessageAsync(chat, "across gateways");
        Assert.Equal("across gateways", (string?)(await bobWs.WaitForTypeAsync("message"))["message"]!["text"]);

        await bobWs.SendAsync(new { type = "read", conversationId = chat, seq = 1 });
        Assert.Equal(1, (long)(await aliceWs.WaitForTypeAsync("receipt"))["readSeq"]!);

        await bobWs.SendAsync(new { type = "typing", conversationId = chat });
        Assert.Equal(bob.UserId, (string?)(await aliceWs.WaitForTypeAsync("typing"))["userId"]);

        await bobWs.SendMessageAsync(chat, "and back");
        Assert.Equal("and back", (string?)(await aliceWs.WaitForTypeAsync("message"))["message"]!["text"]);

        await bobWs.CloseAsync();
        Assert.False((bool)(await aliceWs.WaitForAsync(f => WsClient.Type(f) == "presence" && (string?)f["userId"] == bob.UserId))["online"]!);
    }

    [Fact]
    public async Task A_message_is_published_only_to_the_gateways_that_hold_a_recipient()
    {
        var alice = await Server.Api.RegisterAsync();
        var bob = await Server.Api.RegisterAsync();
        var chat = await Server.Api.DirectAsync(alice, bob);
        var bus = Server.Services.GetRequiredService<InProcessEventBus>();
        var seenOnGateway1 = new List<DeliveryRequested>();
        await using var spy = bus.Subscribe<DeliveryRequested>(Topics.Gateway("gw1"), (e, _) =>
        {
            lock (seenOnGateway1)
            {
                seenOnGateway1.Add(e);
            }

            return Task.CompletedTask;
        }, _ => { });

        await using var bobWs = await Server.SecondGatewayApi.ConnectAsync(bob);
        await bobWs.RoundTripAsync();
        var (status, _) = await Server.Api.PostAsync(alice, $"/api/conversations/{chat}/messages", new { clientMessageId = "only-gw2", text = "to bob" });
        Assert.Equal(System.Net.HttpStatusCode.Created, status);
        await bobWs.WaitForTypeAsync("message");
        await Task.Delay(200);
        lock (seenOnGateway1)
        {
            Assert.DoesNotContain(seenOnGateway1, e => e.Frame is Messenger.Core.Protocol.MessageFrame m && m.Message.ConversationId == chat);
        }
    }
}
