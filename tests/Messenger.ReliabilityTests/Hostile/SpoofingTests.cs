using System.Net;
using Messenger.ReliabilityTests.Infrastructure;

namespace Messenger.ReliabilityTests.Hostile;

/// <summary>Fields a client has no say over, sent anyway: they are ignored, never believed.</summary>
public sealed class SpoofingTests(CorpusWorld world) : IClassFixture<CorpusWorld>
{
    [Fact]
    public async Task A_send_naming_another_sender_seq_or_message_id_is_stored_as_the_callers_own()
    {
        await using var ws = await WsClient.ConnectAsync(world.Server.BaseAddress, world.Me.Token);
        await ws.SendRawAsync(
            $$"""{"type":"send","conversationId":"{{world.Chat}}","clientMessageId":"spoof-ws","text":"who am I","senderId":"{{world.Other.UserId}}","seq":1,"messageId":"m_0","sentAt":"2000-01-01T00:00:00.000Z"}""");
        var sent = await ws.WaitForAsync(f => WsClient.IsOutcomeOf(f, "spoof-ws"));
        Assert.Equal("sent", WsClient.Type(sent));

        var (status, body) = await world.Server.Api.PostAsync(world.Me, $"/api/conversations/{world.Chat}/messages",
            new { clientMessageId = "spoof-http", text = "who am I", senderId = world.Other.UserId, seq = 1, messageId = "m_0", conversationId = world.Foreign });
        Assert.Equal(HttpStatusCode.Created, status);
        Assert.Equal(world.Chat, (string?)body!["conversationId"]);

        var stored = (await world.Server.Api.AllMessagesAsync(world.Other, world.Chat)).Where(m => ((string)m["clientMessageId"]!).StartsWith("spoof-", StringComparison.Ordinal)).ToList();
        Assert.Equal(2, stored.Count);
        Assert.All(stored, m =>
        {
            Assert.Equal(world.Me.UserId, (string?)m["senderId"]);
            Assert.NotEqual("m_0", (string?)m["messageId"]);
            Assert.True((long)m["seq"]! > 2);
            Assert.StartsWith(DateTime.UtcNow.Year.ToString(System.Globalization.CultureInfo.InvariantCulture), (string?)m["sentAt"]);
        });
        Assert.DoesNotContain(await world.Server.Api.AllMessagesAsync(world.Other, world.Foreign), m => ((string)m["clientMessageId"]!).StartsWith("spoof-", StringComparison.Ordinal));
    }
}
