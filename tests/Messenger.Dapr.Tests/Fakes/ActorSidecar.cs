using System.Collections.Concurrent;

namespace Messenger.Dapr.Tests.Fakes;

/// <summary>
/// What daprd does for actor calls, in one process: a proxy's <c>PUT /v1.0/actors/{type}/{id}/method/{m}</c> goes to
/// the hosting app's <c>/actors/{type}/{id}/method/{m}</c>, one call at a time per actor (turn-based concurrency),
/// through the real remoting serialization and the real actor runtime, with the app API token in <c>dapr-api-token</c>
/// when one is given (as daprd sends APP_API_TOKEN).
/// </summary>
internal sealed class ActorSidecar(string? appApiToken = null) : HttpMessageHandler
{
    private const string ApiPrefix = "/v1.0";
    private readonly ConcurrentDictionary<string, SemaphoreSlim> turns = new(StringComparer.Ordinal);
    private HttpMessageInvoker? host;

    public int Calls;

    /// <summary>The status of every answer the hosting app gave.</summary>
    public ConcurrentQueue<System.Net.HttpStatusCode> Answers { get; } = new();

    /// <summary>The app that hosts the actors (its in-memory server's handler).</summary>
    public void HostedBy(HttpMessageHandler handler) => host = new HttpMessageInvoker(handler, disposeHandler: false);

    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        var path = request.RequestUri!.AbsolutePath;
        if (host is null || !path.StartsWith(ApiPrefix + "/actors/", StringComparison.Ordinal))
        {
            throw new InvalidOperationException($"The fake sidecar does not serve {request.Method} {path}.");
        }

        var segments = path.Split('/');
        var turn = turns.GetOrAdd($"{segments[3]}/{segments[4]}", _ => new SemaphoreSlim(1, 1));
        request.RequestUri = new Uri("http://localhost" + path[ApiPrefix.Length..]);
        if (appApiToken is not null)
        {
            request.Headers.TryAddWithoutValidation("dapr-api-token", appApiToken);
        }

        await turn.WaitAsync(cancellationToken);
        try
        {
            Interlocked.Increment(ref Calls);
            var response = await host.SendAsync(request, cancellationToken);
            Answers.Enqueue(response.StatusCode);
            return response;
        }
        finally
        {
            turn.Release();
        }
    }
}
