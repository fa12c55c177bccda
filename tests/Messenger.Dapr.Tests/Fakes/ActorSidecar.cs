using System.Collections.Concurrent;

namespace Messenger.Dapr.Tests.Fakes;

/// <summary>
/// What daprd does for actor calls, in one process: a proxy's <c>PUT /v1.0/actors/{type}/{id}/method/{m}</c> goes to
/// the hosting app's <c>/actors/{type}/{id}/method/{m}</c>, one call at a time per actor (turn-based concurrency),
/// through the real remoting serialization and the real actor runtime.
/// </summary>
internal sealed class ActorSidecar : HttpMessageHandler
{
    private const string ApiPrefix = "/v1.0";
    private readonly ConcurrentDictionary<string, SemaphoreSlim> turns = new(StringComparer.Ordinal);
    private HttpMessageInvoker? host;

    public int Calls;

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
        await turn.WaitAsync(cancellationToken);
        try
        {
            Interlocked.Increment(ref Calls);
            return await host.SendAsync(request, cancellationToken);
        }
        finally
        {
            turn.Release();
        }
    }
}
