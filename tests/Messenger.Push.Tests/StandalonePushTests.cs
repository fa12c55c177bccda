using System.Net;
using System.Net.Http.Json;
using System.Net.WebSockets;
using System.Text.Json;
using System.Text.Json.Nodes;
using Messenger.Standalone;
using Microsoft.AspNetCore.Builder;

namespace Messenger.Push.Tests;

/// <summary>The standalone host with push on, against the fake FCM server: a real message, real presence.</summary>
public sealed class StandalonePushTests : IAsyncLifetime
{
    private FakeFcmServer fcm = null!;
    private WebApplication app = null!;
    private HttpClient http = null!;

    public async Task InitializeAsync()
    {
        fcm = await FakeFcmServer.StartAsync();
        var dataDir = Path.Combine(Path.GetTempPath(), "messenger-push-tests", Guid.NewGuid().ToString("n"));
        app = StandaloneApp.Build(
        [
            "--urls", "http://127.0.0.1:0", "--Messenger:DataDir", dataDir, "--Logging:LogLevel:Default", "Warning",
            .. PushTestHost.SettingsFor(fcm).SelectMany(s => new[] { "--" + s.Key, s.Value! }),
        ]);
        await app.StartAsync();
        http = new HttpClient { BaseAddress = new Uri(app.Urls.First()) };
    }

    public async Task DisposeAsync()
    {
        http.Dispose();
        await app.StopAsync();
        await app.DisposeAsync();
        await fcm.DisposeAsync();
    }

    [Fact]
    public async Task A_message_makes_one_FCM_request_per_device_of_each_offline_member_and_none_for_online_ones()
    {
        var alice = await RegisterAsync("alice", "Alice");
        var bob = await RegisterAsync("bob", "Bob");
        var carol = await RegisterAsync("carol", "Carol");
        await DeviceAsync(bob, "bob-phone");
        await DeviceAsync(bob, "bob-tablet");
        await DeviceAsync(carol, "carol-phone");
        var group = await PostAsync(alice, "/api/conversations", new { type = "group", title = "Team", memberIds = new[] { bob.UserId, carol.UserId } });

        using var carolOnline = new ClientWebSocket();
        await carolOnline.ConnectAsync(new Uri($"ws://{http.BaseAddress!.Authority}/ws?access_token={carol.Token}"), CancellationToken.None);
        await WaitForAsync(async () => (await GetAsync(alice, $"/api/users/{carol.Username}"))["online"]!.GetValue<bool>());

        var message = await PostAsync(alice, $"/api/conversations/{group["conversationId"]}/messages", new { clientMessageId = "p1", text = "Lunch at noon?" });

        await WaitForAsync(() => Task.FromResult(fcm.Sends.Count >= 2));
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

    private async Task<(string UserId, string Username, string Token)> RegisterAsync(string prefix, string displayName)
    {
        var username = $"{prefix}_{Guid.NewGuid().ToString("n")[..8]}";
        using var response = await http.PostAsJsonAsync("/api/auth/register", new { username, password = "correct horse", displayName });
        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        var body = (await response.Content.ReadFromJsonAsync<JsonObject>())!;
        return ((string)body["userId"]!, username, (string)body["token"]!);
    }

    private async Task DeviceAsync((string UserId, string Username, string Token) user, string token)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, "/api/devices") { Content = JsonContent.Create(new { token, platform = "android" }) };
        request.Headers.Authorization = new("Bearer", user.Token);
        using var response = await http.SendAsync(request);
        Assert.Equal(HttpStatusCode.NoContent, response.StatusCode);
    }

    private async Task<JsonObject> PostAsync((string UserId, string Username, string Token) user, string path, object body)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, path) { Content = JsonContent.Create(body) };
        request.Headers.Authorization = new("Bearer", user.Token);
        using var response = await http.SendAsync(request);
        Assert.True(response.IsSuccessStatusCode, await response.Content.ReadAsStringAsync());
        return (await response.Content.ReadFromJsonAsync<JsonObject>(JsonSerializerOptions.Web))!;
    }

    private async Task<JsonObject> GetAsync((string UserId, string Username, string Token) user, string path)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, path);
        request.Headers.Authorization = new("Bearer", user.Token);
        using var response = await http.SendAsync(request);
        return (await response.Content.ReadFromJsonAsync<JsonObject>())!;
    }

    private static async Task WaitForAsync(Func<Task<bool>> condition)
    {
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(15);
        while (!await condition())
        {
            Assert.True(DateTime.UtcNow < deadline, "The condition did not hold within 15 s.");
            await Task.Delay(50);
        }
    }
}
