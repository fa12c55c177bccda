using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace Messenger.ReliabilityTests.Infrastructure;

/// <summary>The HTTP half of the contract against any host address (in this process or a child process).</summary>
public static class Api
{
    public const string Password = "correct horse";
    private static int counter;

    public static string UniqueName(string prefix = "user") =>
        $"{prefix}{Interlocked.Increment(ref counter)}_{Guid.NewGuid().ToString("n")[..6]}";

    public static HttpClient Client(Uri baseAddress, string? token = null)
    {
        var client = new HttpClient { BaseAddress = baseAddress, Timeout = TimeSpan.FromSeconds(30) };
        if (token is not null)
        {
            client.DefaultRequestHeaders.Authorization = new("Bearer", token);
        }

        return client;
    }

    public static async Task<TestUser> RegisterAsync(Uri baseAddress, string prefix = "user")
    {
        using var http = Client(baseAddress);
        using var response = await http.PostAsJsonAsync("/api/auth/register", new { username = UniqueName(prefix), password = Password });
        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        var body = (await response.Content.ReadFromJsonAsync<JsonObject>())!;
        return new TestUser((string)body["userId"]!, (string)body["username"]!, (string)body["token"]!);
    }

    public static async Task<string> CreateConversationAsync(Uri baseAddress, TestUser creator, string type, params TestUser[] members)
    {
        using var http = Client(baseAddress, creator.Token);
        using var response = await http.PostAsJsonAsync(
            "/api/conversations", new { type, title = type == "group" ? "Team" : null, memberIds = members.Select(m => m.UserId).ToArray() });
        Assert.True(response.StatusCode is HttpStatusCode.Created or HttpStatusCode.OK, $"{response.StatusCode}: {await response.Content.ReadAsStringAsync()}");
        return (string)(await response.Content.ReadFromJsonAsync<JsonObject>())!["conversationId"]!;
    }

    /// <summary>The whole history of a conversation, page by page, ascending.</summary>
    public static async Task<List<JsonObject>> AllMessagesAsync(Uri baseAddress, TestUser user, string conversationId)
    {
        using var http = Client(baseAddress, user.Token);
        var all = new List<JsonObject>();
        long after = 0;
        while (true)
        {
            var page = await http.GetFromJsonAsync<JsonObject>($"/api/conversations/{conversationId}/messages?afterSeq={after}&limit=200");
            var messages = page!["messages"]!.AsArray().Select(m => m!.AsObject()).ToList();
            all.AddRange(messages);
            if (messages.Count < 200)
            {
                return all;
            }

            after = (long)messages[^1]["seq"]!;
        }
    }

    public static async Task<JsonArray> ConversationsAsync(Uri baseAddress, TestUser user)
    {
        using var http = Client(baseAddress, user.Token);
        return (await http.GetFromJsonAsync<JsonArray>("/api/conversations"))!;
    }

    public static async Task<JsonObject> ProfileAsync(Uri baseAddress, TestUser asUser, string username)
    {
        using var http = Client(baseAddress, asUser.Token);
        return (await http.GetFromJsonAsync<JsonObject>($"/api/users/{username}"))!;
    }

    public static async Task<(HttpStatusCode Status, JsonObject? Body)> PostJsonAsync(Uri baseAddress, TestUser? user, string path, object body)
    {
        using var http = Client(baseAddress, user?.Token);
        using var response = await http.PostAsJsonAsync(path, body);
        return (response.StatusCode, await ReadObjectAsync(response));
    }

    private static async Task<JsonObject?> ReadObjectAsync(HttpResponseMessage response)
    {
        var text = await response.Content.ReadAsStringAsync();
        try
        {
            return string.IsNullOrWhiteSpace(text) ? null : JsonNode.Parse(text) as JsonObject;
        }
        catch (JsonException)
        {
            return null;
        }
    }
}
