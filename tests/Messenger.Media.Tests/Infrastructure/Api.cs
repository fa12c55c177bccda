using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Security.Cryptography;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace Messenger.Media.Tests.Infrastructure;

/// <summary>The HTTP calls a client makes, against a <see cref="MediaHost"/>.</summary>
public static class Api
{
    public static async Task<TestUser> RegisterAsync(this MediaHost host)
    {
        using var http = host.CreateClient();
        var name = "u" + Guid.NewGuid().ToString("n")[..12];
        using var response = await http.PostAsJsonAsync("/api/auth/register", new { username = name, password = "correct horse" });
        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        var body = (await response.Content.ReadFromJsonAsync<JsonObject>())!;
        return new TestUser((string)body["userId"]!, name, (string)body["token"]!);
    }

    public static async Task<string> ConversationAsync(this MediaHost host, TestUser creator, string type, params TestUser[] members)
    {
        using var http = host.CreateClient(creator.Token);
        using var response = await http.PostAsJsonAsync(
            "/api/conversations", new { type, title = type == "group" ? "Team" : null, memberIds = members.Select(m => m.UserId).ToArray() });
        Assert.True(response.StatusCode is HttpStatusCode.Created or HttpStatusCode.OK, await response.Content.ReadAsStringAsync());
        return (string)(await response.Content.ReadFromJsonAsync<JsonObject>())!["conversationId"]!;
    }

    public static async Task<HttpStatusCode> RemoveMemberAsync(this MediaHost host, TestUser by, string conversationId, TestUser member)
    {
        using var http = host.CreateClient(by.Token);
        using var response = await http.DeleteAsync($"/api/conversations/{conversationId}/members/{member.UserId}");
        return response.StatusCode;
    }

    public static async Task<(HttpStatusCode Status, JsonObject? Body)> SendMediaAsync(this MediaHost host, TestUser sender, string conversationId, string mediaId)
    {
        using var http = host.CreateClient(sender.Token);
        using var response = await http.PostAsJsonAsync(
            $"/api/conversations/{conversationId}/messages", new { clientMessageId = Guid.NewGuid().ToString("n"), mediaId });
        return (response.StatusCode, await ReadObjectAsync(response));
    }

    /// <summary><c>POST /api/media</c> with the raw bytes and the given Content-Type; chunked (no Content-Length) when asked.</summary>
    public static async Task<Uploaded> UploadAsync(this MediaHost host, TestUser user, byte[] bytes, string contentType, bool chunked = false)
    {
        using var http = host.CreateClient(user.Token);
        using HttpContent content = chunked ? new StreamContent(new UnknownLengthStream(bytes)) : new ByteArrayContent(bytes);
        content.Headers.ContentType = MediaTypeHeaderValue.Parse(contentType);
        using var request = new HttpRequestMessage(HttpMethod.Post, "/api/media") { Content = content };
        request.Headers.TransferEncodingChunked = chunked;
        using var response = await http.SendAsync(request);
        return new Uploaded(response.StatusCode, await ReadObjectAsync(response));
    }

    /// <summary><c>POST /api/media</c> as <c>multipart/form-data</c> with a <c>file</c> part (and a field before it).</summary>
    public static async Task<Uploaded> UploadMultipartAsync(this MediaHost host, TestUser user, byte[] bytes, string contentType, string fileName)
    {
        using var http = host.CreateClient(user.Token);
        using var form = new MultipartFormDataContent();
        form.Add(new StringContent("a caption"), "caption");
        var file = new ByteArrayContent(bytes);
        file.Headers.ContentType = MediaTypeHeaderValue.Parse(contentType);
        form.Add(file, "file", fileName);
        using var response = await http.PostAsync("/api/media", form);
        return new Uploaded(response.StatusCode, await ReadObjectAsync(response));
    }

    /// <summary>A GET of an app path with the user's token; redirects are followed (to blob storage, without the token).</summary>
    public static async Task<(HttpStatusCode Status, byte[] Body, string? ContentType)> DownloadAsync(this MediaHost host, TestUser user, string path)
    {
        using var http = host.CreateClient(user.Token);
        using var response = await http.GetAsync(path);
        return (response.StatusCode, await response.Content.ReadAsByteArrayAsync(), response.Content.Headers.ContentType?.MediaType);
    }

    /// <summary>The app's own answer to a GET, redirects not followed.</summary>
    public static async Task<HttpResponseMessage> GetWithoutRedirectAsync(this MediaHost host, TestUser user, string path)
    {
        using var http = host.CreateClient(user.Token, followRedirects: false);
        return await http.GetAsync(path);
    }

    public static async Task<(HttpStatusCode Status, JsonObject? Body)> PostJsonAsync(this MediaHost host, TestUser user, string path, object? body)
    {
        using var http = host.CreateClient(user.Token);
        using var response = body is null ? await http.PostAsync(path, null) : await http.PostAsJsonAsync(path, body);
        return (response.StatusCode, await ReadObjectAsync(response));
    }

    public static string Sha256(byte[] bytes) => Convert.ToHexStringLower(SHA256.HashData(bytes));

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
