using System.Net;
using System.Text.Json.Nodes;
using Messenger.Standalone;
using Microsoft.AspNetCore.Builder;

namespace Messenger.Push.Tests;

/// <summary>The standalone host with push on, against the fake FCM server: a real message, real presence.</summary>
public sealed class StandalonePushTests : IAsyncLifetime
{
    private static readonly TimeSpan Wait = TimeSpan.FromSeconds(15);
    private readonly TempDirectory dataDir = new();
    private FakeFcmServer fcm = null!;
    private WebApplication app = null!;
    private ApiClient api = null!;

    public async Task InitializeAsync()
    {
        fcm = await FakeFcmServer.StartAsync();
        app = StandaloneApp.Build(
        [
            "--urls", "http://127.0.0.1:0", "--Messenger:DataDir", dataDir.Path, "--Logging:LogLevel:Default", "Warning",
            .. PushTestHost.SettingsFor(fcm).SelectMany(s => new[] { "--" + s.Key, s.Value! }),
        ]);
        await app.StartAsync();
        api = new ApiClient(new Uri(app.Urls.First()));
    }

    public async Task DisposeAsync()
    {
        await app.StopAsync();
        await app.DisposeAsync();
        await fcm.DisposeAsync();
        dataDir.Dispose();
    }

    [Fact]
    public async Task A_message_makes_one_FCM_request_per_device_of_each_offline_member_and_none_for_online_ones()
    {
        var alice = await api.RegisterAsync(displayName: "Alice", prefix: "alice");
        var bob = await api.RegisterAsync(displayName: "Bob", prefix: "bob");
        var carol = await api.RegisterAsync(displayName: "Carol", prefix: "carol");
        await DeviceAsync(bob, "bob-phone");
        await DeviceAsync(bob, "bob-tablet");
        await DeviceAsync(carol, "carol-phone");
        var group = await PostAsync(alice, "/api/conversations", new { type = "group", title = "Team", memberIds = new[] { bob.UserId, carol.UserId } });

        await using var carolOnline = await api.ConnectAsync(carol);
        await Eventually.HoldsAsync(async () => (await api.ProfileAsync(alice, carol.Username))["online"]!.GetValue<bool>(), "carol is online", Wait);

        var message = await PostAsync(alice, $"/api/conversations/{group["conversationId"]}/messages", new { clientMessageId = "p1", text = "Lunch at noon?" });

        await Eventually.HoldsAsync(() => fcm.Sends.Count >= 2, "two FCM sends", Wait);
        await Task.Delay(300);
        var sends = fcm.Sends.Select(s => JsonNode.Parse(s.Body)!["message"]!).ToList();
        Assert.Equal(["bob-phone", "bob-tablet"], sends.Select(s => (string)s["token"]!).Order());
        Assert.All(sends, s =>
        {
            Assert.Equal("Alice @ Team", (string?)s["notification"]!["title"]);
            Assert.Equal("Lunch at noon?", (string?)s["notification"]!["body"]);
            Assert.Equal((string?)group["conversationId"], (string?)s["data"]!["conversationId"]);
            Assert.Equal((string?)message["messageId"], (string?)s["data"]!["messageId"]);
            Assert.Equal("1", (string?)s["data"]!["seq"]);
        });
        Assert.All(fcm.Sends, s => Assert.StartsWith("Bearer ", s.Authorization));
    }

    private async Task DeviceAsync(TestUser user, string token)
    {
        var (status, _) = await api.PostAsync(user, "/api/devices", new { token, platform = "android" });
        Assert.Equal(HttpStatusCode.NoContent, status);
    }

    private async Task<JsonObject> PostAsync(TestUser user, string path, object body)
    {
        var (status, answer) = await api.PostAsync(user, path, body);
        Assert.True((int)status is >= 200 and < 300, $"{status}: {answer?.ToJsonString()}");
        return answer!;
    }
}
