using Google.Apis.Auth.OAuth2;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Messenger.Push;

/// <summary>
/// OAuth2 access tokens for FCM from the service-account key (Google.Apis.Auth signs the JWT assertion and calls the
/// key's <c>token_uri</c>). A token is reused until <see cref="RefreshMargin"/> before it expires (half its lifetime
/// for short-lived tokens), by the clock of the <see cref="TimeProvider"/>; one caller at a time fetches a new one.
/// </summary>
internal sealed class FcmAccessTokenSource : IDisposable
{
    public const string Scope = "https://www.googleapis.com/auth/firebase.messaging";

    /// <summary>A token is replaced this long before it expires.</summary>
    public static readonly TimeSpan RefreshMargin = TimeSpan.FromMinutes(1);

    /// <summary>Lifetime assumed when the token endpoint does not say (Google's tokens live an hour).</summary>
    private static readonly TimeSpan DefaultLifetime = TimeSpan.FromMinutes(10);

    private readonly IOptions<FcmOptions> options;
    private readonly TimeProvider time;
    private readonly ILogger<FcmAccessTokenSource> logger;
    private readonly SemaphoreSlim gate = new(1, 1);
    private ServiceAccountCredential? credential;
    private string? clientEmail;
    private CachedToken? current;

    public FcmAccessTokenSource(IOptions<FcmOptions> options, TimeProvider time, ILogger<FcmAccessTokenSource> logger)
    {
        this.options = options;
        this.time = time;
        this.logger = logger;
    }

    public async ValueTask<string> GetAccessTokenAsync(CancellationToken cancellationToken)
    {
        var cached = Volatile.Read(ref current);
        if (cached is not null && time.GetUtcNow() < cached.RefreshAt)
        {
            return cached.AccessToken;
        }

        await gate.WaitAsync(cancellationToken);
        try
        {
            cached = current;
            if (cached is not null && time.GetUtcNow() < cached.RefreshAt)
            {
                return cached.AccessToken;
            }

            var credential = this.credential ??= CreateCredential();
            var requestedAt = time.GetUtcNow();
            if (!await credential.RequestAccessTokenAsync(cancellationToken)
                || credential.Token?.AccessToken is not { Length: > 0 } accessToken)
            {
                throw new InvalidOperationException("The token endpoint returned no FCM access token.");
            }

            var lifetime = credential.Token.ExpiresInSeconds is > 0 and var seconds
                ? TimeSpan.FromSeconds(seconds)
                : DefaultLifetime;
            var margin = lifetime > 2 * RefreshMargin ? RefreshMargin : lifetime / 2;
            var fresh = new CachedToken(accessToken, requestedAt + lifetime - margin);
            Volatile.Write(ref current, fresh);
            PushLog.AccessTokenObtained(logger, clientEmail!, fresh.RefreshAt);
            return fresh.AccessToken;
        }
        finally
        {
            gate.Release();
        }
    }

    /// <summary>FCM said 401 for <paramref name="accessToken"/>: forget it so that the next call fetches a new one.</summary>
    public void Invalidate(string accessToken)
    {
        var cached = Volatile.Read(ref current);
        if (cached is not null && cached.AccessToken == accessToken)
        {
            Interlocked.CompareExchange(ref current, null, cached);
        }
    }

    private ServiceAccountCredential CreateCredential()
    {
        var path = options.Value.CredentialsFile
            ?? throw new InvalidOperationException($"{FcmOptions.SectionName}:CredentialsFile is not set.");
        var key = ServiceAccountKey.Load(path);
        clientEmail = key.ClientEmail;
        var initializer = new ServiceAccountCredential.Initializer(key.ClientEmail, key.TokenUri.AbsoluteUri)
        {
            Scopes = [Scope],
            KeyId = key.PrivateKeyId,
            ProjectId = key.ProjectId,
        };
        return new ServiceAccountCredential(initializer.FromPrivateKey(key.PrivateKey));
    }

    public void Dispose() => gate.Dispose();

    private sealed record CachedToken(string AccessToken, DateTimeOffset RefreshAt)
    {
        public override string ToString() => $"CachedToken {{ RefreshAt = {RefreshAt:O} }}";
    }
}
