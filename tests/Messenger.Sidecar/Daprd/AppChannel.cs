namespace Messenger.Sidecar.Daprd;

/// <summary>The sidecar's HTTP channel to its app (127.0.0.1:appPort), sending <c>dapr-api-token</c> when an app API
/// token (APP_API_TOKEN) is configured, as daprd does.</summary>
public sealed class AppChannel(HttpClient http, string? appApiToken)
{
    public const string ApiTokenHeader = "dapr-api-token";

    public Uri BaseAddress => http.BaseAddress!;

    public async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        if (!string.IsNullOrEmpty(appApiToken))
        {
            request.Headers.Remove(ApiTokenHeader);
            request.Headers.TryAddWithoutValidation(ApiTokenHeader, appApiToken);
        }

        return await http.SendAsync(request, HttpCompletionOption.ResponseContentRead, cancellationToken);
    }
}
