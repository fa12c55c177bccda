using System.Net;
using System.Net.Http.Json;
using Messenger.LoadTests.Protocol;

namespace Messenger.LoadTests.Client;

/// <summary>The HTTP part of the client contract that a load run needs.</summary>
public sealed class ApiClient : IDisposable
{
    private readonly HttpClient http;

    public ApiClient(Uri baseUri)
    {
        var handler = new SocketsHttpHandler
        {
            UseProxy = false,
            MaxConnectionsPerServer = 64,
            PooledConnectionLifetime = TimeSpan.FromMinutes(5),
        };
        http = new HttpClient(handler) { BaseAddress = baseUri, Timeout = TimeSpan.FromSeconds(120) };
    }

    public async Task<bool> IsHealthyAsync(CancellationToken cancellationToken)
    {
        try
        {
            using var response = await http.GetAsync(ApiPaths.Health, cancellationToken);
            return response.IsSuccessStatusCode;
        }
        catch (HttpRequestException)
        {
            return false;
        }
    }

    public async Task<AuthResponse> RegisterAsync(string username, string password, CancellationToken cancellationToken)
    {
        using var response = await http.PostAsJsonAsync(
            ApiPaths.Register, new AuthRequest(username, password, username), LoadJsonContext.Default.AuthRequest, cancellationToken);
        await EnsureAsync(response, HttpStatusCode.Created, "register", cancellationToken);
        return await ReadAsync(response, LoadJsonContext.Default.AuthResponse, cancellationToken);
    }

    public async Task<ConversationResponse> CreateConversationAsync(
        string token, CreateConversationRequest request, CancellationToken cancellationToken)
    {
        using var message = new HttpRequestMessage(HttpMethod.Post, ApiPaths.Conversations)
        {
            Content = JsonContent.Create(request, LoadJsonContext.Default.CreateConversationRequest),
        };
        message.Headers.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", token);
        using var response = await http.SendAsync(message, cancellationToken);
        if (response.StatusCode != HttpStatusCode.OK)
        {
            await EnsureAsync(response, HttpStatusCode.Created, "create conversation", cancellationToken);
        }

        return await ReadAsync(response, LoadJsonContext.Default.ConversationResponse, cancellationToken);
    }

    public void Dispose() => http.Dispose();

    private static async Task EnsureAsync(
        HttpResponseMessage response, HttpStatusCode expected, string what, CancellationToken cancellationToken)
    {
        if (response.StatusCode != expected)
        {
            var body = await response.Content.ReadAsStringAsync(cancellationToken);
            throw new LoadRunException($"{what}: expected {(int)expected}, got {(int)response.StatusCode} {body}");
        }
    }

    private static async Task<T> ReadAsync<T>(
        HttpResponseMessage response, System.Text.Json.Serialization.Metadata.JsonTypeInfo<T> typeInfo, CancellationToken cancellationToken) =>
        await response.Content.ReadFromJsonAsync(typeInfo, cancellationToken)
        ?? throw new LoadRunException($"empty body from {response.RequestMessage?.RequestUri}");
}
