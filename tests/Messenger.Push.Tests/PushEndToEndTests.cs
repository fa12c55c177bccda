using System.Net;
using System.Text.Json;
using Messenger.Core.Domain;
using Messenger.Core.Events;
using Moq;

namespace Messenger.Push.Tests;

/// <summary><see cref="PushRequestHandler"/> with the real FCM sender against the fake FCM server.</summary>
public sealed class PushEndToEndTests : IAsyncLifetime
{
    private FakeFcmServer fcm = null!;

    public async Task InitializeAsync() => fcm = await FakeFcmServer.StartAsync();

    public async Task DisposeAsync() => await fcm.DisposeAsync();

    private static PushRequested Request() => new(
        ["u_bob"], "c_42", ConversationType.Group, "Team", "u_alice", "Alice", "m_abc", 12, "lunch?", null);

    private static void DevicesOfBob(PushTestHost host, params string[] tokens) =>
        host.Devices
            .Setup(store => store.ListAsync("u_bob", It.IsAny<CancellationToken>()))
            .ReturnsAsync(tokens.Select(token => new Device(token, "u_bob", DevicePlatform.Android, DateTimeOffset.UtcNow)).ToArray());

    [Fact]
    public async Task A_message_to_an_offline_member_makes_one_well_formed_FCM_request_per_device()
    {
        await using var host = await PushTestHost.StartAsync(PushTestHost.SettingsFor(fcm));
        DevicesOfBob(host, "bob-phone", "bob-tablet");

        await host.Handler.HandleAsync(Request(), CancellationToken.None);

        Assert.Equal(2, fcm.Sends.Count);
        var messages = fcm.Sends.Select(send => JsonDocument.Parse(send.Body).RootElement.GetProperty("message")).ToArray();
        Assert.Equal(["bob-phone", "bob-tablet"], messages.Select(m => m.GetProperty("token").GetString()).Order());
        Assert.All(messages, message =>
        {
            Assert.Equal("Alice @ Team", message.GetProperty("notification").GetProperty("title").GetString());
            Assert.Equal("lunch?", message.GetProperty("notification").GetProperty("body").GetString());
            Assert.Equal("c_42", message.GetProperty("data").GetProperty("conversationId").GetString());
            Assert.Equal("m_abc", message.GetProperty("data").GetProperty("messageId").GetString());
            Assert.Equal("12", message.GetProperty("data").GetProperty("seq").GetString());
            Assert.Equal("c_42", message.GetProperty("android").GetProperty("collapse_key").GetString());
            Assert.Equal("c_42", message.GetProperty("apns").GetProperty("payload").GetProperty("aps").GetProperty("thread-id").GetString());
        });
    }

    [Fact]
    public async Task An_UNREGISTERED_answer_prunes_the_device()
    {
        await using var host = await PushTestHost.StartAsync(PushTestHost.SettingsFor(fcm));
        DevicesOfBob(host, "bob-stale-phone");
        fcm.Answer(HttpStatusCode.NotFound, FakeFcmServer.ErrorBody(404, "NOT_FOUND", "UNREGISTERED"));

        await host.Handler.HandleAsync(Request(), CancellationToken.None);

        host.Devices.Verify(store => store.PruneAsync("bob-stale-phone", It.IsAny<CancellationToken>()), Times.Once);
    }

    [Fact]
    public async Task A_request_for_a_member_without_devices_reaches_FCM_not_at_all()
    {
        await using var host = await PushTestHost.StartAsync(PushTestHost.SettingsFor(fcm));
        DevicesOfBob(host);

        await host.Handler.HandleAsync(Request(), CancellationToken.None);

        Assert.Empty(fcm.Sends);
        Assert.Empty(fcm.TokenRequests);
    }
}
