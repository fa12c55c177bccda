using System.Collections.Concurrent;
using Messenger.Core.Domain;
using Messenger.Core.Events;
using Messenger.Core.Ports;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Moq;

namespace Messenger.Push.Tests;

public sealed class PushRequestHandlerTests : IDisposable
{
    private static readonly TimeSpan Window = TimeSpan.FromSeconds(10);

    private readonly ManualTimeProvider clock = new();
    private readonly Mock<IDeviceStore> devices = new();
    private readonly Mock<IPushSender> sender = new();
    private readonly ConcurrentQueue<PushNotification> sent = new();
    private readonly Dictionary<string, List<Device>> registered = [];
    private readonly PushRequestHandler handler;

    public PushRequestHandlerTests() : this(Window)
    {
    }

    private PushRequestHandlerTests(TimeSpan window)
    {
        devices
            .Setup(store => store.ListAsync(It.IsAny<string>(), It.IsAny<CancellationToken>()))
            .ReturnsAsync((string userId, CancellationToken _) =>
            {
                lock (registered)
                {
                    return registered.TryGetValue(userId, out var list) ? list.ToArray() : [];
                }
            });
        sender
            .Setup(sender => sender.SendAsync(It.IsAny<PushNotification>(), It.IsAny<CancellationToken>()))
            .Callback((PushNotification notification, CancellationToken _) => sent.Enqueue(notification))
            .ReturnsAsync(PushResult.Sent);
        handler = Handler(window);
    }

    public void Dispose() => handler.Dispose();

    private PushRequestHandler Handler(TimeSpan window) => new(
        devices.Object,
        Options.Create(new FcmOptions { CollapseWindow = window }),
        clock,
        NullLogger<PushRequestHandler>.Instance,
        sender.Object);

    private void Register(string userId, string token, DevicePlatform platform = DevicePlatform.Android)
    {
        lock (registered)
        {
            if (!registered.TryGetValue(userId, out var list))
            {
                registered[userId] = list = [];
            }

            list.Add(new Device(token, userId, platform, clock.GetUtcNow()));
        }
    }

    private void Unregister(string userId, string token)
    {
        lock (registered)
        {
            registered[userId].RemoveAll(device => device.Token == token);
        }
    }

    private static PushRequested Direct(long seq, string? text = "hello", string? media = null, string[]? users = null) => new(
        users ?? ["u_bob"], "c_direct", ConversationType.Direct, null, "u_alice", "Alice", $"m_{seq}", seq, text, media);

    private static PushRequested Group(long seq, string? title = "Climbing club") => new(
        ["u_bob", "u_carol"], "c_group", ConversationType.Group, title, "u_alice", "Alice", $"m_{seq}", seq, "see you", null);

    [Fact]
    public async Task Each_device_of_each_recipient_gets_one_push_with_the_message_data()
    {
        Register("u_bob", "bob-phone");
        Register("u_bob", "bob-tablet", DevicePlatform.Ios);
        Register("u_carol", "carol-phone");

        await handler.HandleAsync(Group(5), CancellationToken.None);

        Assert.Equal(["bob-phone", "bob-tablet", "carol-phone"], sent.Select(n => n.DeviceToken).Order());
        Assert.All(sent, notification =>
        {
            Assert.Equal("c_group", notification.CollapseKey);
            Assert.Equal(
                new Dictionary<string, string> { ["conversationId"] = "c_group", ["messageId"] = "m_5", ["seq"] = "5" },
                notification.Data);
        });
        Assert.Equal(DevicePlatform.Ios, sent.Single(n => n.DeviceToken == "bob-tablet").Platform);
    }

    [Fact]
    public async Task A_recipient_with_no_devices_gets_no_push()
    {
        await handler.HandleAsync(Direct(1), CancellationToken.None);

        devices.Verify(store => store.ListAsync("u_bob", It.IsAny<CancellationToken>()), Times.Once);
        sender.Verify(sender => sender.SendAsync(It.IsAny<PushNotification>(), It.IsAny<CancellationToken>()), Times.Never);
    }

    [Fact]
    public async Task The_sender_is_never_pushed_even_when_listed()
    {
        Register("u_alice", "alice-phone");
        Register("u_bob", "bob-phone");

        await handler.HandleAsync(Direct(1, users: ["u_alice", "u_bob", "u_bob"]), CancellationToken.None);

        Assert.Equal("bob-phone", Assert.Single(sent).DeviceToken);
        devices.Verify(store => store.ListAsync("u_alice", It.IsAny<CancellationToken>()), Times.Never);
    }

    [Fact]
    public async Task Direct_chat_title_is_the_sender_display_name()
    {
        Register("u_bob", "bob-phone");

        await handler.HandleAsync(Direct(1, "hi there"), CancellationToken.None);

        var notification = Assert.Single(sent);
        Assert.Equal("Alice", notification.Title);
        Assert.Equal("hi there", notification.Body);
    }

    [Fact]
    public async Task Group_title_is_sender_at_group_title()
    {
        Register("u_bob", "bob-phone");

        await handler.HandleAsync(Group(1), CancellationToken.None);

        Assert.Equal("Alice @ Climbing club", Assert.Single(sent).Title);
    }

    [Fact]
    public async Task Group_without_a_title_shows_the_sender_alone()
    {
        Register("u_bob", "bob-phone");

        await handler.HandleAsync(Group(1, title: null), CancellationToken.None);

        Assert.Equal("Alice", Assert.Single(sent).Title);
    }

    [Fact]
    public async Task Text_longer_than_100_code_points_is_cut_to_100_with_an_ellipsis()
    {
        Register("u_bob", "bob-phone");
        var text = string.Concat(Enumerable.Repeat("😀", 150));

        await handler.HandleAsync(Direct(1, text), CancellationToken.None);

        var body = Assert.Single(sent).Body;
        Assert.Equal(100, body.EnumerateRunes().Count());
        Assert.Equal(string.Concat(Enumerable.Repeat("😀", 99)) + "\u2026", body);
    }

    [Fact]
    public async Task Text_of_exactly_100_code_points_is_kept_whole()
    {
        Register("u_bob", "bob-phone");
        var text = new string('a', 60) + string.Concat(Enumerable.Repeat("é😀", 20));

        await handler.HandleAsync(Direct(1, text), CancellationToken.None);

        Assert.Equal(text, Assert.Single(sent).Body);
    }

    [Fact]
    public async Task Line_breaks_in_the_preview_become_spaces()
    {
        Register("u_bob", "bob-phone");

        await handler.HandleAsync(Direct(1, "  first line\r\n\r\nsecond\tline  "), CancellationToken.None);

        Assert.Equal("first line second line", Assert.Single(sent).Body);
    }

    [Theory]
    [InlineData("image/jpeg", "Photo")]
    [InlineData("image/png", "Photo")]
    [InlineData("video/mp4", "Video")]
    [InlineData("application/octet-stream", "New message")]
    public async Task A_message_without_text_says_what_media_it_carries(string contentType, string expected)
    {
        Register("u_bob", "bob-phone");

        await handler.HandleAsync(Direct(1, text: null, media: contentType), CancellationToken.None);

        Assert.Equal(expected, Assert.Single(sent).Body);
    }

    [Fact]
    public async Task A_burst_sends_the_first_at_once_and_the_latest_text_when_the_window_ends()
    {
        Register("u_bob", "bob-phone");

        await handler.HandleAsync(Direct(1, "one"), CancellationToken.None);
        clock.Advance(TimeSpan.FromSeconds(1));
        await handler.HandleAsync(Direct(2, "two"), CancellationToken.None);
        clock.Advance(TimeSpan.FromSeconds(1));
        await handler.HandleAsync(Direct(3, "three"), CancellationToken.None);

        Assert.Equal(["one"], sent.Select(n => n.Body));
        clock.Advance(Window - TimeSpan.FromSeconds(2) - TimeSpan.FromMilliseconds(1));
        Assert.Single(sent);

        clock.Advance(TimeSpan.FromMilliseconds(1));
        await Eventually.HoldsAsync(() => sent.Count == 2, "the held push is sent at the end of the window");
        var latest = sent.Last();
        Assert.Equal("three", latest.Body);
        Assert.Equal("3", latest.Data["seq"]);
        Assert.Equal("m_3", latest.Data["messageId"]);

        await Eventually.HoldsAsync(() => clock.ScheduledTimers == 1, "a new window opens after the held push");
        clock.Advance(Window * 3);
        await Task.Yield();
        Assert.Equal(2, sent.Count);
    }

    [Fact]
    public async Task A_message_within_the_window_after_a_held_push_waits_for_the_next_window()
    {
        Register("u_bob", "bob-phone");
        await handler.HandleAsync(Direct(1, "one"), CancellationToken.None);
        await handler.HandleAsync(Direct(2, "two"), CancellationToken.None);
        clock.Advance(Window);
        await Eventually.HoldsAsync(() => sent.Count == 2 && clock.ScheduledTimers == 1, "the held push went out and a new window opened");

        await handler.HandleAsync(Direct(3, "three"), CancellationToken.None);

        Assert.Equal(2, sent.Count);
        clock.Advance(Window);
        await Eventually.HoldsAsync(() => sent.Count == 3, "the third push goes out when the second window ends");
        Assert.Equal(["one", "two", "three"], sent.Select(n => n.Body));
    }

    [Fact]
    public async Task After_a_quiet_window_the_next_message_is_pushed_at_once()
    {
        Register("u_bob", "bob-phone");
        await handler.HandleAsync(Direct(1, "one"), CancellationToken.None);
        clock.Advance(Window);
        await Eventually.HoldsAsync(() => clock.ScheduledTimers == 0, "the window closes with nothing held");

        await handler.HandleAsync(Direct(2, "two"), CancellationToken.None);

        Assert.Equal(["one", "two"], sent.Select(n => n.Body));
    }

    [Fact]
    public async Task Windows_are_per_conversation_and_per_device()
    {
        Register("u_bob", "bob-phone");
        Register("u_carol", "carol-phone");
        await handler.HandleAsync(Direct(1, "direct one"), CancellationToken.None);
        await handler.HandleAsync(Group(1), CancellationToken.None);

        Assert.Equal(
            ["bob-phone:direct one", "bob-phone:see you", "carol-phone:see you"],
            sent.Select(n => $"{n.DeviceToken}:{n.Body}").Order());
    }

    [Fact]
    public async Task The_same_message_delivered_twice_is_pushed_once()
    {
        Register("u_bob", "bob-phone");
        using var handler = Handler(TimeSpan.Zero);

        await handler.HandleAsync(Direct(1, "one"), CancellationToken.None);
        await handler.HandleAsync(Direct(1, "one"), CancellationToken.None);
        await handler.HandleAsync(Direct(2, "two"), CancellationToken.None);
        await handler.HandleAsync(Direct(1, "one"), CancellationToken.None);

        Assert.Equal(["one", "two"], sent.Select(n => n.Body));
    }

    [Fact]
    public async Task A_redelivered_held_message_does_not_add_a_push()
    {
        Register("u_bob", "bob-phone");
        await handler.HandleAsync(Direct(1, "one"), CancellationToken.None);
        await handler.HandleAsync(Direct(2, "two"), CancellationToken.None);
        await handler.HandleAsync(Direct(2, "two"), CancellationToken.None);
        await handler.HandleAsync(Direct(1, "one"), CancellationToken.None);

        clock.Advance(Window);
        await Eventually.HoldsAsync(() => sent.Count == 2, "the held push is sent");
        clock.Advance(Window * 2);
        await Task.Yield();

        Assert.Equal(["one", "two"], sent.Select(n => n.Body));
    }

    [Fact]
    public async Task A_token_reported_invalid_is_pruned()
    {
        Register("u_bob", "bob-phone");
        Register("u_bob", "bob-old-phone");
        sender
            .Setup(sender => sender.SendAsync(It.Is<PushNotification>(n => n.DeviceToken == "bob-old-phone"), It.IsAny<CancellationToken>()))
            .ReturnsAsync(PushResult.TokenInvalid);

        await handler.HandleAsync(Direct(1), CancellationToken.None);

        devices.Verify(store => store.PruneAsync("bob-old-phone", It.IsAny<CancellationToken>()), Times.Once);
        devices.Verify(store => store.PruneAsync("bob-phone", It.IsAny<CancellationToken>()), Times.Never);
    }

    [Fact]
    public async Task A_failed_send_keeps_the_device()
    {
        Register("u_bob", "bob-phone");
        sender
            .Setup(sender => sender.SendAsync(It.IsAny<PushNotification>(), It.IsAny<CancellationToken>()))
            .ReturnsAsync(PushResult.Failed);

        await handler.HandleAsync(Direct(1), CancellationToken.None);

        devices.Verify(store => store.PruneAsync(It.IsAny<string>(), It.IsAny<CancellationToken>()), Times.Never);
    }

    [Fact]
    public async Task A_held_push_is_dropped_when_its_device_was_removed_meanwhile()
    {
        Register("u_bob", "bob-phone");
        await handler.HandleAsync(Direct(1, "one"), CancellationToken.None);
        await handler.HandleAsync(Direct(2, "two"), CancellationToken.None);
        Unregister("u_bob", "bob-phone");

        clock.Advance(Window);
        await Eventually.HoldsAsync(() => clock.ScheduledTimers == 1, "the held push is handled and the next window opens");

        Assert.Equal(["one"], sent.Select(n => n.Body));
        devices.Verify(store => store.ListAsync("u_bob", It.IsAny<CancellationToken>()), Times.Exactly(3));
    }

    [Fact]
    public async Task Stopping_cancels_held_pushes()
    {
        Register("u_bob", "bob-phone");
        await handler.HandleAsync(Direct(1, "one"), CancellationToken.None);
        await handler.HandleAsync(Direct(2, "two"), CancellationToken.None);

        await handler.StopAsync(CancellationToken.None);
        await Eventually.HoldsAsync(() => clock.ScheduledTimers == 0, "the window's timer is cancelled");
        clock.Advance(Window * 2);
        await Task.Yield();

        Assert.Equal(["one"], sent.Select(n => n.Body));
    }
}
