using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace Messenger.IntegrationTests.Infrastructure;

/// <summary>The HTTP half of the contract, as a client would call it.</summary>
public static class Api
{
    private static int counter;

    public static string UniqueName(string prefix = "user") =>
        $"{prefix}{Interlocked.Increment(ref counter)}_{Guid.NewGuid().ToString("n")[..6]}";

    public static async Task<TestUser> RegisterAsync(this StandaloneServer server, string? username = null, string? displayName = null)
    {
        using var http = server.CreateHttpClient();
        var name = username ?? UniqueName();
        using var response = await http.PostAsJsonAsync("/api/auth/register", new { username = name, password = "correct horse", displayName });
        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        var body = await response.Content.ReadFromJsonAsync<JsonObject>();
        return new TestUser((string)body!["userId"]!, (string)body["username"]!, (string)body["token"]!);
    }

    public static async Task<JsonObject> CreateConversationAsync(this StandaloneServer server, TestUser creator, string type, string? title, params TestUser[] members)
    {
        using var http = server.CreateHttpClient(creator.Token);
        using var response = await http.PostAsJsonAsync("/api/conversations", new { type, title, memberIds = members.Select(m => m.UserId).ToArray() });
        Assert.True(response.StatusCode is HttpStatusCode.Created or HttpStatusCode.OK, $"{response.StatusCode}: {await response.Content.ReadAsStringAsync()}");
        return (await response.Content.ReadFromJsonAsync<JsonObject>())!;
    }

    public static async Task<string> DirectAsync(this StandaloneServer server, TestUser a, TestUser b) =>
        (string)(await server.CreateConversationAsync(a, "direct", null, b))["conversationId"]!;

    public static async Task<string> GroupAsync(this StandaloneServer server, TestUser creator, params TestUser[] members) =>
        (string)(await server.CreateConversationAsync(creator, "group", "Team", members))["conversationId"]!;

    public static async Task<List<JsonObject>> HistoryAsync(this StandaloneServer server, TestUser user, string conversationId, string query = "")
    {
        using var http = server.CreateHttpClient(user.Token);
        using var response = await http.GetAsync($"/api/conversations/{conversationId}/messages{query}");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var body = await response.Content.ReadFromJsonAsync<JsonObject>();
        return body!["messages"]!.AsArray().Select(m => m!.AsObject()).ToList();
    }

    public static async Task<List<JsonObject>> ConversationsAsync(this StandaloneServer server, TestUser user)
    {
        using var http = server.CreateHttpClient(user.Token);
        var list = await http.GetFromJsonAsync<JsonArray>("/api/conversations");
        return list!.Select(c => c!.AsObject()).ToList();
    }

    public static async Task<(HttpStatusCode Status, JsonObject? Body)> PostAsync(this StandaloneServer server, TestUser? user, string path, object body)
    {
        using var http = server.CreateHttpClient(user?.Token);
        using var response = await http.PostAsJsonAsync(path, body);
        return (response.StatusCode, await ReadObjectAsync(response));
    }

    public static async Task<(HttpStatusCode Status, JsonObject? Body)> PostRawAsync(this StandaloneServer server, TestUser? user, string path, string json)
    {
        using var http = server.CreateHttpClient(user?.Token);
        using var response = await http.PostAsync(path, new StringContent(json, System.Text.Encoding.UTF8, "application/json"));
        return (response.StatusCode, await ReadObjectAsync(response));
    }

    public static async Task<(HttpStatusCode Status, JsonObject? Body)> GetAsync(this StandaloneServer server, TestUser? user, string path)
    {
        using var http = server.CreateHttpClient(user?.Token);
        using var response = await http.GetAsync(path);
        return (response.StatusCode, await ReadObjectAsync(response));
    }

    public static async Task<HttpStatusCode> DeleteAsync(this StandaloneServer server, TestUser user, string path)
    {
        using var http = server.CreateHttpClient(user.Token);
        using var response = await http.DeleteAsync(path);
        return response.StatusCode;
    }

    public static Task<WsClient> ConnectAsync(this StandaloneServer server, TestUser user, bool secondGateway = false) =>
        WsClient.ConnectAsync(secondGateway ? server.SecondGatewayAddress! : server.BaseAddress, user.Token);

    private static async Task<JsonObject?> ReadObjectAsync(HttpResponseMessage response)
    {
        var text = await response.Content.ReadAsStringAsync();
        if (string.IsNullOrWhiteSpace(text))
        {
            return null;
        }

        try
        {
            return JsonNode.Parse(text) as JsonObject;
        }
        catch (JsonException)
        {
            return null;
        }
    }
}
