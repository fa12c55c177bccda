using System.Collections.Immutable;
using System.Text.Json;
using Messenger.Core.Domain;
using Messenger.Core.Events;
using Messenger.Core.Protocol;

namespace Messenger.Core.Tests;

public sealed class ProtocolJsonTests
{
    private static readonly DateTimeOffset At = new(2025, 3, 4, 5, 6, 7, 89, TimeSpan.Zero);
    private static readonly Message SampleMessage = new("m_1", "c_1", 7, "u_a", "k1", "hi", null, At);

    public static TheoryData<ServerFrame, string> FramesAndTypes() => new()
    {
        { new MessageFrame(SampleMessage), "message" },
        { new SentFrame("k1", "c_1", 7, "m_1", At), "sent" },
        { new ReceiptFrame("c_1", "u_b", 7, 6), "receipt" },
        { new TypingFrame("c_1", "u_a"), "typing" },
        { new PresenceFrame("u_a", false, At), "presence" },
        { new ConversationFrame(Dto(ConversationType.Group)), "conversation" },
        { new ConversationRemovedFrame("c_1"), "conversationRemoved" },
        { new ErrorFrame("bad_request", "nope", "k1"), "error" },
        { new PongFrame(), "pong" },
        { new SyncedFrame(), "synced" },
    };

    [Theory]
    [MemberData(nameof(FramesAndTypes))]
    public void Serialize_names_each_server_frame_by_its_type(ServerFrame frame, string type)
    {
        using var json = Serialize(frame);

        Assert.Equal(type, json.RootElement.GetProperty("type").GetString());
        Assert.Equal("type", json.RootElement.EnumerateObject().First().Name);
    }

    [Theory]
    [MemberData(nameof(FramesAndTypes))]
    public void Serialize_uses_camel_case_property_names_throughout(ServerFrame frame, string type)
    {
        _ = type;
        using var json = Serialize(frame);

        AssertCamelCase(json.RootElement);
    }

    [Fact]
    public void Serialize_sent_carries_the_contract_fields()
    {
        using var json = Serialize(new SentFrame("k1", "c_1", 7, "m_1", At));
        var root = json.RootElement;

        Assert.Equal("k1", root.GetProperty("clientMessageId").GetString());
        Assert.Equal("c_1", root.GetProperty("conversationId").GetString());
        Assert.Equal(7, root.GetProperty("seq").GetInt64());
        Assert.Equal("m_1", root.GetProperty("messageId").GetString());
        Assert.Equal(At, root.GetProperty("sentAt").GetDateTimeOffset());
        Assert.Equal(TimeSpan.Zero, root.GetProperty("sentAt").GetDateTimeOffset().Offset);
    }

    [Theory]
    [InlineData(2025, 3, 4, 5, 6, 7, 89, 0, 0, "2025-03-04T05:06:07.089Z")]
    [InlineData(2026, 11, 28, 1, 14, 41, 731, 9999, 0, "2026-11-28T01:14:41.731Z")]
    [InlineData(2026, 12, 31, 23, 30, 0, 0, 0, 2, "2026-12-31T21:30:00.000Z")]
    [InlineData(1, 1, 1, 0, 0, 0, 0, 0, 0, "0001-01-01T00:00:00.000Z")]
    public void Timestamps_are_written_in_utc_with_milliseconds_cut_not_rounded(
        int year, int month, int day, int hour, int minute, int second, int millisecond, int ticks, int offsetHours, string expected)
    {
        var at = new DateTimeOffset(year, month, day, hour, minute, second, millisecond, TimeSpan.FromHours(offsetHours)).AddTicks(ticks);

        using var json = Serialize(new SentFrame("k1", "c_1", 7, "m_1", at));

        Assert.Equal(expected, json.RootElement.GetProperty("sentAt").GetString());
    }

    [Fact]
    public void Serialize_message_carries_the_contract_fields_with_null_media()
    {
        using var json = Serialize(new MessageFrame(SampleMessage));
        var message = json.RootElement.GetProperty("message");

        Assert.Equal(
            ["messageId", "conversationId", "seq", "senderId", "clientMessageId", "text", "media", "sentAt", "kind", "reactions"],
            message.EnumerateObject().Select(p => p.Name));
        Assert.Equal(JsonValueKind.Null, message.GetProperty("media").ValueKind);
    }

    [Fact]
    public void Serialize_receipt_typing_and_presence_carry_the_contract_fields()
    {
        using var receipt = Serialize(new ReceiptFrame("c_1", "u_b", 7, 6));
        Assert.Equal(["type", "conversationId", "userId", "deliveredSeq", "readSeq"], receipt.RootElement.EnumerateObject().Select(p => p.Name));

        using var typing = Serialize(new TypingFrame("c_1", "u_a"));
        Assert.Equal(["type", "conversationId", "userId"], typing.RootElement.EnumerateObject().Select(p => p.Name));

        using var online = Serialize(new PresenceFrame("u_a", true, null));
        Assert.True(online.RootElement.GetProperty("online").GetBoolean());
        Assert.Equal(JsonValueKind.Null, online.RootElement.GetProperty("lastSeen").ValueKind);
    }

    [Fact]
    public void Serialize_error_keeps_ref_even_when_null()
    {
        using var json = Serialize(new ErrorFrame("bad_request", "nope", null));

        Assert.Equal("bad_request", json.RootElement.GetProperty("code").GetString());
        Assert.Equal("nope", json.RootElement.GetProperty("message").GetString());
        Assert.Equal(JsonValueKind.Null, json.RootElement.GetProperty("ref").ValueKind);
    }

    [Theory]
    [InlineData(ConversationType.Direct, "direct")]
    [InlineData(ConversationType.Group, "group")]
    public void Serialize_writes_conversation_type_as_a_lower_case_string(ConversationType type, string expected)
    {
        using var json = Serialize(new ConversationFrame(Dto(type)));
        var conversation = json.RootElement.GetProperty("conversation");

        Assert.Equal(expected, conversation.GetProperty("type").GetString());
        foreach (var name in new[] { "conversationId", "type", "title", "memberIds", "lastSeq", "lastMessage", "unreadCount", "createdAt" })
        {
            Assert.True(conversation.TryGetProperty(name, out _), $"conversation has {name}");
        }
    }

    [Fact]
    public void Serialize_push_requested_writes_the_conversation_type_as_a_string()
    {
        var push = new PushRequested(["u_b"], "c_1", ConversationType.Direct, null, "u_a", "Alice", "m_1", 7, "hi", null);

        using var json = JsonDocument.Parse(JsonSerializer.Serialize(push, ProtocolJson.Default.PushRequested));

        Assert.Equal("direct", json.RootElement.GetProperty("conversationType").GetString());
        AssertCamelCase(json.RootElement);
    }

    [Fact]
    public void DeliveryRequested_round_trips_with_its_polymorphic_frame()
    {
        var delivery = new DeliveryRequested(["u_a", "u_b"], "conn-1", new MessageFrame(SampleMessage));

        var text = JsonSerializer.Serialize(delivery, ProtocolJson.Default.DeliveryRequested);
        var back = JsonSerializer.Deserialize(text, ProtocolJson.Default.DeliveryRequested)!;

        Assert.Equal(["u_a", "u_b"], back.UserIds);
        Assert.Equal("conn-1", back.ExceptConnectionId);
        Assert.Equal(SampleMessage, Assert.IsType<MessageFrame>(back.Frame).Message);
    }

    private static JsonDocument Serialize(ServerFrame frame) =>
        JsonDocument.Parse(JsonSerializer.Serialize(frame, ProtocolJson.Default.ServerFrame));

    private static ConversationDto Dto(ConversationType type) =>
        new("c_1", type, type == ConversationType.Group ? "team" : null, ImmutableArray.Create("u_a", "u_b"),
            [new MemberDto("u_a", type == ConversationType.Group ? MemberRole.Admin : MemberRole.Member), new MemberDto("u_b", MemberRole.Member)],
            7, SampleMessage, 2, At, At);

    private static void AssertCamelCase(JsonElement element)
    {
        switch (element.ValueKind)
        {
            case JsonValueKind.Object:
                foreach (var property in element.EnumerateObject())
                {
                    Assert.True(char.IsLower(property.Name[0]), $"property '{property.Name}' is camelCase");
                    AssertCamelCase(property.Value);
                }

                break;
            case JsonValueKind.Array:
                foreach (var item in element.EnumerateArray())
                {
                    AssertCamelCase(item);
                }

                break;
        }
    }
}
