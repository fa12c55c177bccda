using System.Net;
using System.Net.Http.Headers;
using Messenger.Core.Domain;
using Messenger.Core.Ports;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Messenger.Push;

/// <summary>
/// <see cref="IPushSender"/> over FCM HTTP v1: <c>POST {Endpoint}/v1/projects/{ProjectId}/messages:send</c> with a
/// bearer access token from the service-account key. The named HttpClient <see cref="HttpClientName"/> retries 429s,
/// 5xx answers and network errors (see <see cref="PushServiceExtensions"/>); this class maps the final answer to a
/// <see cref="PushResult"/>. A 401 gets one more try with a freshly fetched access token.
/// </summary>
public sealed class FcmPushSender : IPushSender
{
    public const string HttpClientName = "fcm";

    private static readonly MediaTypeHeaderValue JsonContentType = new("application/json") { CharSet = "utf-8" };

    private readonly IHttpClientFactory httpClients;
    private readonly FcmAccessTokenSource tokens;
    private readonly ILogger<FcmPushSender> logger;
    private readonly Uri sendUri;

    internal FcmPushSender(
        IHttpClientFactory httpClients,
        FcmAccessTokenSource tokens,
        IOptions<FcmOptions> options,
        ILogger<FcmPushSender> logger)
    {
        this.httpClients = httpClients;
        this.tokens = tokens;
        this.logger = logger;
        var fcm = options.Value;
        var projectId = fcm.ProjectId ?? throw new InvalidOperationException($"{FcmOptions.SectionName}:ProjectId is not set.");
        sendUri = new Uri($"{fcm.Endpoint.TrimEnd('/')}/v1/projects/{Uri.EscapeDataString(projectId)}/messages:send", UriKind.Absolute);
    }

    public async Task<PushResult> SendAsync(PushNotification notification, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(notification);
        var device = DeviceFingerprint.Of(notification.DeviceToken);
        var body = FcmMessage.Serialize(notification);
        try
        {
            var client = httpClients.CreateClient(HttpClientName);
            for (var attempt = 1; ; attempt++)
            {
                var accessToken = await tokens.GetAccessTokenAsync(cancellationToken);
                using var request = new HttpRequestMessage(HttpMethod.Post, sendUri);
                request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", accessToken);
                request.Content = new ByteArrayContent(body);
                request.Content.Headers.ContentType = JsonContentType;

                using var response = await client.SendAsync(request, cancellationToken);
                if (response.IsSuccessStatusCode)
                {
                    return PushResult.Sent;
                }

                if (response.StatusCode == HttpStatusCode.Unauthorized && attempt == 1)
                {
                    PushLog.AccessTokenRejected(logger);
                    tokens.Invalidate(accessToken);
                    continue;
                }

                var answer = await response.Content.ReadAsByteArrayAsync(cancellationToken);
                var error = FcmError.Parse(response.StatusCode, answer);
                PushLog.SendRefused(logger, device, (int)response.StatusCode, error.Status, error.ErrorCode);
                return error.Classify();
            }
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            throw;
        }
        catch (Exception ex)
        {
            // Network errors and timeouts left after the retries, a token endpoint that refused the key, an unreadable
            // key file: the push is lost, the device is kept. The exception carries no secret (see ServiceAccountKey).
            PushLog.SendError(logger, device, ex);
            return PushResult.Failed;
        }
    }
}
