using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace Messenger.Testing;

/// <summary>
/// The HTTP half of the contract as a client calls it, against any host address (a host in this process, a child
/// process, one gateway or another). Each call uses an <see cref="HttpClient"/> of its own with the user's bearer token.
/// </summary>
public sealed class ApiClient(Uri baseAddress)
{
    public const string Password = "correct horse";
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(60);
    private static int counter;

    public Uri BaseAddress { get; } = baseAddress;

    /// <summary>A username nobody has yet, starting with <paramref name="prefix"/>.</summary>
    public static string UniqueName(string prefix = "user") =>
        $"{prefix}{Interlocked.Increment(ref counter)}_{Guid.NewGuid().ToString("n")[..6]}";

    /// <summary>An HTTP client at the host, with <paramref name="token"/> as its bearer token when given.</summary>
    public HttpClient Http(string? token = null, bool followRedirects = true)
    {
        var client = new HttpClient(new SocketsHttpHandler { AllowAutoRedirect = followRedirects }) { BaseAddress = BaseAddress, Timeout = Timeout };
        if (token is not null)
        {
            client.DefaultRequestHeaders.Authorization = new("Bearer", token);
        }

        return client;
    }

    /// <summary>A WebSocket protocol client connected to the host as <paramref name="user"/>.</summary>
    public Task<WsClient> ConnectAsync(TestUser user) => WsClient.ConnectAsync(BaseAddress, user.Token);

    /// <summary>Registers <paramref name="username"/> (a fresh name starting with <paramref name="prefix"/> when null).</summary>
    public async Task<TestUser> RegisterAsync(string? username = null, string? displayName = null, string prefix = "user")
    {
        using var http = Http();
        var name = username ?? UniqueName(prefix);
        using var response = await http.PostAsJsonAsync("/api/auth/register", new { username = name, password = Password, displayName });
        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        var body = (await response.Content.ReadFromJsonAsync<JsonObject>())!;
        return new TestUser((string)body["userId"]!, (string)body["username"]!, (string)body["token"]!);
    }

    public async Task<JsonObject> CreateConversationAsync(TestUser creator, string type, string? title, params TestUser[] members)
    {
        using var http = Http(creator.Token);
        using var response = await http.PostAsJsonAsync("/api/conversations", new { type, title, memberIds = members.Select(m => m.UserId).ToArray() });
        Assert.True(response.StatusCode is HttpStatusCode.Created or HttpStatusCode.OK, $"{response.StatusCode}: {await response.Content.ReadAsStringAsync()}");
        return (await response.Content.ReadFromJsonAsync<JsonObject>())!;
    }

    /// <summary>Creates a conversation (a group is titled "Team") and returns its id.</summary>
    public async Task<string> ConversationAsync(TestUser creator, string type, params TestUser[] members) =>
        (string)(await CreateConversationAsync(creator, type, type == "group" ? "Team" : null, members))["conversationId"]!;

    public Task<string> DirectAsync(TestUser a, TestUser b) => ConversationAsync(a, "direct", b);

    public Task<string> GroupAsync(TestUser creator, params TestUser[] members) => ConversationAsync(creator, "group", members);

    /// <summary>One page of a conversation's history (<paramref name="query"/> such as <c>?afterSeq=5</c>).</summary>
    public async Task<List<JsonObject>> HistoryAsync(TestUser user, string conversationId, string query = "")
    {
        using var http = Http(user.Token);
        using var response = await http.GetAsync($"/api/conversations/{conversationId}/messages{query}");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var body = await response.Content.ReadFromJsonAsync<JsonObject>();
        return body!["messages"]!.AsArray().Select(m => m!.AsObject()).ToList();
    }

    /// <summary>The whole history of a conversation, page by page, ascending.</summary>
    public async Task<List<JsonObject>> AllMessagesAsync(TestUser user, string conversationId)
    {
        const int PageSize = 200;
        var all = new List<JsonObject>();
        long after = 0;
        while (true)
        {
            var messages = await HistoryAsync(user, conversationId, $"?afterSeq={after}&limit={PageSize}");
            all.AddRange(messages);
            if (messages.Count < PageSize)
            {
                return all;
            }

            after = (long)messages[^1]["seq"]!;
        }
    }

    public async Task<List<JsonObject>> ConversationsAsync(TestUser user)
    {
        using var http = Http(user.Token);
        var list = await http.GetFromJsonAsync<JsonArray>("/api/conversations");
        return list!.Select(c => c!.AsObject()).ToList();
    }

    public async Task<JsonObject> ProfileAsync(TestUser asUser, string username)
    {
        using var http = Http(asUser.Token);
        return (await http.GetFromJsonAsync<JsonObject>($"/api/users/{username}"))!;
    }

    /// <summary>A POST of <paramref name="body"/> as JSON (an empty POST when null); the status and the JSON object answered, if any.</summary>
    public async Task<(HttpStatusCode Status, JsonObject? Body)> PostAsync(TestUser? user, string path, object? body)
    {
        using var http = Http(user?.Token);
        using var response = body is null ? await http.PostAsync(path, null) : await http.PostAsJsonAsync(path, body);
        return (response.StatusCode, await ReadObjectAsync(response));
    }

    public async Task<(HttpStatusCode Status, JsonObject? Body)> PostRawAsync(TestUser? user, string path, string json)
    {
        using var http = Http(user?.Token);
        using var content = new StringContent(json, Encoding.UTF8, "application/json");
        using var response = await http.PostAsync(path, content);
        return (response.StatusCode, await ReadObjectAsync(response));
    }

    public async Task<(HttpStatusCode Status, JsonObject? Body)> GetAsync(TestUser? user, string path)
    {
        using var http = Http(user?.Token);
        using var response = await http.GetAsync(path);
        return (response.StatusCode, await ReadObjectAsync(response));
    }

    public async Task<HttpStatusCode> DeleteAsync(TestUser? user, string path)
    {
        using var http = Http(user?.Token);
        using var response = await http.DeleteAsync(path);
        return response.StatusCode;
    }

    /// <summary>A PATCH of <paramref name="body"/> as JSON; the status and the JSON object answered, if any.</summary>
    public async Task<(HttpStatusCode Status, JsonObject? Body)> PatchAsync(TestUser? user, string path, object body)
    {
        using var http = Http(user?.Token);
        using var response = await http.PatchAsJsonAsync(path, body);
        return (response.StatusCode, await ReadObjectAsync(response));
    }

    /// <summary>A DELETE with an <c>Idempotency-Key</c> header; the status and the JSON object answered, if any.</summary>
    public async Task<(HttpStatusCode Status, JsonObject? Body)> DeleteIdempotentAsync(TestUser? user, string path, string idempotencyKey)
    {
        using var http = Http(user?.Token);
        using var request = new HttpRequestMessage(HttpMethod.Delete, path);
        request.Headers.Add("Idempotency-Key", idempotencyKey);
        using var response = await http.SendAsync(request);
        return (response.StatusCode, await ReadObjectAsync(response));
    }

    public Task<HttpStatusCode> RemoveMemberAsync(TestUser by, string conversationId, TestUser member) =>
        DeleteAsync(by, $"/api/conversations/{conversationId}/members/{member.UserId}");

    /// <summary>Sends a message that carries <paramref name="mediaId"/>, over HTTP.</summary>
    public Task<(HttpStatusCode Status, JsonObject? Body)> SendMediaAsync(TestUser sender, string conversationId, string mediaId) =>
        PostAsync(sender, $"/api/conversations/{conversationId}/messages", new { clientMessageId = Guid.NewGuid().ToString("n"), mediaId });

    /// <summary><c>POST /api/media</c> with the raw bytes and the given Content-Type; chunked (no Content-Length) when asked.</summary>
    public async Task<Uploaded> UploadAsync(TestUser user, byte[] bytes, string contentType, bool chunked = false)
    {
        using var http = Http(user.Token);
        using HttpContent content = chunked ? new StreamContent(new UnknownLengthStream(bytes)) : new ByteArrayContent(bytes);
        content.Headers.ContentType = MediaTypeHeaderValue.Parse(contentType);
        using var request = new HttpRequestMessage(HttpMethod.Post, "/api/media") { Content = content };
        request.Headers.TransferEncodingChunked = chunked;
        using var response = await http.SendAsync(request);
        return new Uploaded(response.StatusCode, await ReadObjectAsync(response));
    }

    /// <summary><c>POST /api/media</c> as <c>multipart/form-data</c> with a <c>file</c> part (and a field before it).</summary>
    public async Task<Uploaded> UploadMultipartAsync(TestUser user, byte[] bytes, string contentType, string fileName)
    {
        using var http = Http(user.Token);
        using var form = new MultipartFormDataContent();
        form.Add(new StringContent("a caption"), "caption");
        var file = new ByteArrayContent(bytes);
        file.Headers.ContentType = MediaTypeHeaderValue.Parse(contentType);
        form.Add(file, "file", fileName);
        using var response = await http.PostAsync("/api/media", form);
        return new Uploaded(response.StatusCode, await ReadObjectAsync(response));
    }

    /// <summary>A GET with the user's token; redirects are followed (to blob storage, without the token).</summary>
    public async Task<(HttpStatusCode Status, byte[] Body, string? ContentType)> DownloadAsync(TestUser user, string path)
    {
        using var http = Http(user.Token);
        using var response = await http.GetAsync(path);
        return (response.StatusCode, await response.Content.ReadAsByteArrayAsync(), response.Content.Headers.ContentType?.MediaType);
    }

    /// <summary>The host's own answer to a GET, redirects not followed.</summary>
    public async Task<HttpResponseMessage> GetWithoutRedirectAsync(TestUser user, string path)
    {
        using var http = Http(user.Token, followRedirects: false);
        return await http.GetAsync(path);
    }

    /// <summary>The response's body as a JSON object; null when it is empty or not a JSON object.</summary>
    public static async Task<JsonObject?> ReadObjectAsync(HttpResponseMessage response)
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

    /// <summary>A body whose length HttpClient cannot know, so that it is sent chunked.</summary>
    private sealed class UnknownLengthStream(byte[] bytes) : MemoryStream(bytes, writable: false)
    {
        public override bool CanSeek => false;
    }
}
