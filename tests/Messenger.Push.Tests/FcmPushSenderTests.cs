using System.Diagnostics;
using System.Net;
using System.Text.Json;
using Messenger.Core.Domain;
using Microsoft.Extensions.Logging;

namespace Messenger.Push.Tests;

public sealed class FcmPushSenderTests : IAsyncLifetime
{
    private FakeFcmServer fcm = null!;

    public async Task InitializeAsync() => fcm = await FakeFcmServer.StartAsync();

    public async Task DisposeAsync() => await fcm.DisposeAsync();

    private static PushNotification Notification(string token = "device-token-1", string body = "hello") => new(
        token,
        DevicePlatform.Android,
        "Alice",
        body,
        new Dictionary<string, string> { ["conversationId"] = "c_1", ["messageId"] = "m_1", ["seq"] = "7" },
        "c_1");

    [Fact]
    public async Task Send_posts_the_exact_v1_message_with_a_bearer_access_token()
    {
        await using var host = await PushTestHost.StartAsync(PushTestHost.SettingsFor(fcm));

        var result = await host.Sender.SendAsync(Notification(), CancellationToken.None);

        Assert.Equal(PushResult.Sent, result);
        var send = Assert.Single(fcm.Sends);
        Assert.Equal("Bearer ya29.test-access-token-1", send.Authorization);
        Assert.StartsWith("application/json", send.ContentType);
        Assert.Equal(
            """{"message":{"token":"device-token-1","notification":{"title":"Alice","body":"hello"},"data":{"conversationId":"c_1","messageId":"m_1","seq":"7"},"android":{"collapse_key":"c_1"},"apns":{"payload":{"aps":{"thread-id":"c_1"}}}}}""",
            send.Body);
    }

    [Fact]
    public async Task Access_token_comes_from_the_token_uri_of_the_key_with_a_signed_firebase_messaging_assertion()
    {
        await using var host = await PushTestHost.StartAsync(PushTestHost.SettingsFor(fcm));

        await host.Sender.SendAsync(Notification(), CancellationToken.None);

        // The grant reached this server only because the key's token_uri points here.
        var grant = Assert.Single(fcm.TokenRequests);
        Assert.Equal("urn:ietf:params:oauth:grant-type:jwt-bearer", grant.GrantType);
        Assert.True(grant.SignatureValid, "the assertion must be signed with the service account's private key");
        Assert.Equal("RS256", grant.Algorithm);
        Assert.Equal(FakeFcmServer.PrivateKeyId, grant.KeyId);
        Assert.Equal(FakeFcmServer.ClientEmail, grant.Issuer);
        Assert.Equal("https://www.googleapis.com/auth/firebase.messaging", grant.Scope);
    }

    [Fact]
    public async Task Access_token_is_reused_across_sends()
    {
        await using var host = await PushTestHost.StartAsync(PushTestHost.SettingsFor(fcm));

        for (var i = 0; i < 3; i++)
        {
            Assert.Equal(PushResult.Sent, await host.Sender.SendAsync(Notification(), CancellationToken.None));
        }

        Assert.Single(fcm.TokenRequests);
        Assert.All(fcm.Sends, send => Assert.Equal("Bearer ya29.test-access-token-1", send.Authorization));
    }

    [Fact]
    public async Task Access_token_is_refreshed_shortly_before_it_expires()
    {
        var clock = new ManualTimeProvider();
        await using var host = await PushTestHost.StartAsync(PushTestHost.SettingsFor(fcm), clock);

        await host.Sender.SendAsync(Notification(), CancellationToken.None);
        clock.Advance(TimeSpan.FromSeconds(3600) - FcmAccessTokenSource.RefreshMargin - TimeSpan.FromSeconds(1));
        await host.Sender.SendAsync(Notification(), CancellationToken.None);
        Assert.Single(fcm.TokenRequests);

        clock.Advance(TimeSpan.FromSeconds(2));
        await host.Sender.SendAsync(Notification(), CancellationToken.None);

        Assert.Equal(2, fcm.TokenRequests.Count);
        Assert.Equal(
            ["Bearer ya29.test-access-token-1", "Bearer ya29.test-access-token-1", "Bearer ya29.test-access-token-2"],
            fcm.Sends.Select(send => send.Authorization));
    }

    [Fact]
    public async Task A_401_fetches_a_new_access_token_and_sends_again()
    {
        await using var host = await PushTestHost.StartAsync(PushTestHost.SettingsFor(fcm));
        fcm.Answer(HttpStatusCode.Unauthorized, FakeFcmServer.ErrorBody(401, "UNAUTHENTICATED", null));

        var result = await host.Sender.SendAsync(Notification(), CancellationToken.None);

        Assert.Equal(PushResult.Sent, result);
        Assert.Equal(
            ["Bearer ya29.test-access-token-1", "Bearer ya29.test-access-token-2"],
            fcm.Sends.Select(send => send.Authorization));
    }

    [Fact]
    public async Task A_503_is_retried_until_the_send_succeeds()
    {
        await using var host = await PushTestHost.StartAsync(PushTestHost.SettingsFor(fcm));
        fcm.Answer(HttpStatusCode.ServiceUnavailable, FakeFcmServer.ErrorBody(503, "UNAVAILABLE", "UNAVAILABLE"));
        fcm.Answer(HttpStatusCode.InternalServerError, FakeFcmServer.ErrorBody(500, "INTERNAL", "INTERNAL"));

        var result = await host.Sender.SendAsync(Notification(), CancellationToken.None);

        Assert.Equal(PushResult.Sent, result);
        Assert.Equal(3, fcm.Sends.Count);
        Assert.Single(fcm.Sends.Select(send => send.Body).Distinct());
    }

    [Fact]
    public async Task A_429_is_retried_after_the_Retry_After_delay()
    {
        await using var host = await PushTestHost.StartAsync(PushTestHost.SettingsFor(fcm));
        fcm.Answer(HttpStatusCode.TooManyRequests, FakeFcmServer.ErrorBody(429, "RESOURCE_EXHAUSTED", "QUOTA_EXCEEDED"), retryAfter: "2");

        var result = await host.Sender.SendAsync(Notification(), CancellationToken.None);

        Assert.Equal(PushResult.Sent, result);
        var sends = fcm.Sends.ToArray();
        Assert.Equal(2, sends.Length);
        var waited = Stopwatch.GetElapsedTime(sends[0].ReceivedAt, sends[1].ReceivedAt);
        Assert.True(waited >= TimeSpan.FromMilliseconds(1950), $"the retry came after {waited.TotalMilliseconds:0} ms, not after Retry-After: 2 s");
    }

    [Fact]
    public async Task Persistent_5xx_fails_after_the_configured_retries()
    {
        var settings = PushTestHost.SettingsFor(fcm);
        settings[FcmOptions.SectionName + ":MaxRetries"] = "2";
        await using var host = await PushTestHost.StartAsync(settings);
        for (var i = 0; i < 5; i++)
        {
            fcm.Answer(HttpStatusCode.ServiceUnavailable, FakeFcmServer.ErrorBody(503, "UNAVAILABLE", "UNAVAILABLE"));
        }

        var result = await host.Sender.SendAsync(Notification(), CancellationToken.None);

        Assert.Equal(PushResult.Failed, result);
        Assert.Equal(3, fcm.Sends.Count);
    }

    [Theory]
    [InlineData(404, "NOT_FOUND", "UNREGISTERED", null)]
    [InlineData(400, "INVALID_ARGUMENT", "INVALID_ARGUMENT", null)]
    [InlineData(400, "INVALID_ARGUMENT", "INVALID_ARGUMENT", "message.token")]
    [InlineData(404, "NOT_FOUND", null, null)]
    public async Task An_answer_that_the_token_is_gone_reports_TokenInvalid_without_retrying(int code, string status, string? errorCode, string? field)
    {
        await using var host = await PushTestHost.StartAsync(PushTestHost.SettingsFor(fcm));
        fcm.Answer((HttpStatusCode)code, FakeFcmServer.ErrorBody(code, status, errorCode, field));

        var result = await host.Sender.SendAsync(Notification(), CancellationToken.None);

        Assert.Equal(PushResult.TokenInvalid, result);
        Assert.Single(fcm.Sends);
    }

    [Theory]
    [InlineData(400, "INVALID_ARGUMENT", "INVALID_ARGUMENT", "message.notification.title")]
    [InlineData(403, "PERMISSION_DENIED", "SENDER_ID_MISMATCH", null)]
    [InlineData(403, "PERMISSION_DENIED", null, "")]
    public async Task Other_refusals_report_Failed_and_keep_the_device(int code, string status, string? errorCode, string? field)
    {
        await using var host = await PushTestHost.StartAsync(PushTestHost.SettingsFor(fcm));
        fcm.Answer((HttpStatusCode)code, FakeFcmServer.ErrorBody(code, status, errorCode, string.IsNullOrEmpty(field) ? null : field));

        var result = await host.Sender.SendAsync(Notification(), CancellationToken.None);

        Assert.Equal(PushResult.Failed, result);
        Assert.Single(fcm.Sends);
    }

    [Fact]
    public async Task Non_ASCII_text_arrives_intact()
    {
        await using var host = await PushTestHost.StartAsync(PushTestHost.SettingsFor(fcm));
        const string text = "Grüße 😀 <b>&amp;</b> \"quoted\"\u2026";

        await host.Sender.SendAsync(Notification(body: text), CancellationToken.None);

        using var json = JsonDocument.Parse(Assert.Single(fcm.Sends).Body);
        Assert.Equal(text, json.RootElement.GetProperty("message").GetProperty("notification").GetProperty("body").GetString());
    }

    [Fact]
    public async Task Credentials_access_tokens_and_device_tokens_never_appear_in_logs()
    {
        await using var host = await PushTestHost.StartAsync(PushTestHost.SettingsFor(fcm));
        fcm.Answer(HttpStatusCode.Unauthorized, FakeFcmServer.ErrorBody(401, "UNAUTHENTICATED", null));
        fcm.Answer(HttpStatusCode.ServiceUnavailable);
        const string deviceToken = "fcm-device-token-secret-value-123";

        await host.Sender.SendAsync(Notification(deviceToken), CancellationToken.None);
        fcm.Answer(HttpStatusCode.NotFound, FakeFcmServer.ErrorBody(404, "NOT_FOUND", "UNREGISTERED"));
        await host.Sender.SendAsync(Notification(deviceToken), CancellationToken.None);

        var keyBody = fcm.PrivateKeyPem.Split('\n')[2];
        var entries = host.Logs.Entries.ToArray();
        Assert.NotEmpty(entries);
        Assert.Contains(entries, entry => entry.Level == LogLevel.Warning && entry.Text.Contains("UNREGISTERED", StringComparison.Ordinal));
        Assert.All(entries, entry =>
        {
            Assert.DoesNotContain("test-access-token", entry.Text, StringComparison.Ordinal);
            Assert.DoesNotContain(keyBody, entry.Text, StringComparison.Ordinal);
            Assert.DoesNotContain("PRIVATE KEY", entry.Text, StringComparison.Ordinal);
            Assert.DoesNotContain(deviceToken, entry.Text, StringComparison.Ordinal);
        });
    }

    [Fact]
    public async Task An_unreachable_FCM_reports_Failed()
    {
        var settings = PushTestHost.SettingsFor(fcm);
        settings[FcmOptions.SectionName + ":Endpoint"] = "http://127.0.0.1:9";
        settings[FcmOptions.SectionName + ":MaxRetries"] = "1";
        await using var host = await PushTestHost.StartAsync(settings);

        var result = await host.Sender.SendAsync(Notification(), CancellationToken.None);

        Assert.Equal(PushResult.Failed, result);
    }
}
