using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;

namespace Messenger.Push.Tests;

/// <summary>
/// FCM and Google's OAuth2 token endpoint on a loopback port. It writes a real service-account JSON (a fresh RSA key,
/// <c>token_uri</c> pointing here) to a temporary file, checks each JWT assertion's RS256 signature against that key,
/// and records every token request and every <c>messages:send</c>. Answers to sends can be scripted.
/// </summary>
internal sealed class FakeFcmServer : IAsyncDisposable
{
    public const string ProjectId = "test-project";
    public const string ClientEmail = "push-sender@test-project.iam.gserviceaccount.com";
    public const string PrivateKeyId = "key-1";
    public const string TokenPath = "/oauth2/token";
    public const string SendPath = "/v1/projects/" + ProjectId + "/messages:send";

    private readonly WebApplication app;
    private readonly RSA key;
    private readonly ConcurrentQueue<Func<HttpResponse, Task>> answers = new();
    private int issued;

    private FakeFcmServer(WebApplication app, RSA key, string endpoint, string credentialsFile, string privateKeyPem)
    {
        this.app = app;
        this.key = key;
        Endpoint = endpoint;
        CredentialsFile = credentialsFile;
        PrivateKeyPem = privateKeyPem;
    }

    public string Endpoint { get; }
    public string TokenUri => Endpoint + TokenPath;
    public string CredentialsFile { get; }
    public string PrivateKeyPem { get; }

    /// <summary>expires_in of the access tokens handed out.</summary>
    public int TokenLifetimeSeconds { get; set; } = 3600;

    public ConcurrentQueue<TokenRequest> TokenRequests { get; } = new();
    public ConcurrentQueue<SendRequest> Sends { get; } = new();

    public static async Task<FakeFcmServer> StartAsync()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.UseKestrel(kestrel => kestrel.Listen(IPAddress.Loopback, 0));
        var app = builder.Build();

        var key = RSA.Create(2048);
        FakeFcmServer? server = null;
        app.Run(context => server!.HandleAsync(context));
        await app.StartAsync();
        var endpoint = app.Urls.Single().TrimEnd('/');

        var privateKeyPem = key.ExportPkcs8PrivateKeyPem();
        var credentialsFile = Path.Combine(Path.GetTempPath(), $"fcm-sa-{Guid.NewGuid():N}.json");
        var json = new JsonObject
        {
            ["type"] = "service_account",
            ["project_id"] = ProjectId,
            ["private_key_id"] = PrivateKeyId,
            ["private_key"] = privateKeyPem,
            ["client_email"] = ClientEmail,
            ["client_id"] = "1234567890",
            ["auth_uri"] = "https://accounts.google.com/o/oauth2/auth",
            ["token_uri"] = endpoint + TokenPath,
        };
        await File.WriteAllTextAsync(credentialsFile, json.ToJsonString());
        server = new FakeFcmServer(app, key, endpoint, credentialsFile, privateKeyPem);
        return server;
    }

    /// <summary>The next send gets this answer instead of a 200 (answers are used in order).</summary>
    public void Answer(HttpStatusCode status, string? body = null, string? retryAfter = null) =>
        answers.Enqueue(async response =>
        {
            response.StatusCode = (int)status;
            if (retryAfter is not null)
            {
                response.Headers.RetryAfter = retryAfter;
            }

            if (body is not null)
            {
                response.ContentType = "application/json; charset=UTF-8";
                await response.WriteAsync(body);
            }
        });

    /// <summary>An FCM v1 error body with an FcmError detail (and a BadRequest detail when a field is named).</summary>
    public static string ErrorBody(int code, string status, string? errorCode, string? violatedField = null)
    {
        var details = new JsonArray();
        if (errorCode is not null)
        {
            details.Add(new JsonObject
            {
                ["@type"] = "type.googleapis.com/google.firebase.fcm.v1.FcmError",
                ["errorCode"] = errorCode,
            });
        }

        if (violatedField is not null)
        {
            details.Add(new JsonObject
            {
                ["@type"] = "type.googleapis.com/google.rpc.BadRequest",
                ["fieldViolations"] = new JsonArray(new JsonObject { ["field"] = violatedField, ["description"] = "invalid" }),
            });
        }

        return new JsonObject
        {
            ["error"] = new JsonObject { ["code"] = code, ["message"] = "refused", ["status"] = status, ["details"] = details },
        }.ToJsonString();
    }

    private async Task HandleAsync(HttpContext context)
    {
        var request = context.Request;
        if (request.Method == HttpMethods.Post && request.Path == TokenPath)
        {
            await IssueTokenAsync(context);
            return;
        }

        if (request.Method == HttpMethods.Post && request.Path == SendPath)
        {
            using var reader = new StreamReader(request.Body, Encoding.UTF8);
            var body = await reader.ReadToEndAsync();
            Sends.Enqueue(new SendRequest(
                request.Headers.Authorization.ToString(),
                request.ContentType,
                body,
                Stopwatch.GetTimestamp()));
            if (answers.TryDequeue(out var answer))
            {
                await answer(context.Response);
                return;
            }

            context.Response.ContentType = "application/json; charset=UTF-8";
            await context.Response.WriteAsync($"{{\"name\":\"projects/{ProjectId}/messages/{Sends.Count}\"}}");
            return;
        }

        context.Response.StatusCode = StatusCodes.Status404NotFound;
    }

    /// <summary>The JWT-bearer grant: checks the assertion's signature with the key written to the credentials file.</summary>
    private async Task IssueTokenAsync(HttpContext context)
    {
        var form = await context.Request.ReadFormAsync();
        var assertion = form["assertion"].ToString();
        var parts = assertion.Split('.');
        var valid = parts.Length == 3 && key.VerifyData(
            Encoding.ASCII.GetBytes(parts[0] + "." + parts[1]),
            Base64Url(parts[2]),
            HashAlgorithmName.SHA256,
            RSASignaturePadding.Pkcs1);
        var header = parts.Length == 3 ? JsonNode.Parse(Base64Url(parts[0])) : null;
        var claims = parts.Length == 3 ? JsonNode.Parse(Base64Url(parts[1])) : null;
        TokenRequests.Enqueue(new TokenRequest(
            form["grant_type"].ToString(),
            valid,
            header?["alg"]?.GetValue<string>(),
            header?["kid"]?.GetValue<string>(),
            claims?["iss"]?.GetValue<string>(),
            claims?["scope"]?.GetValue<string>()));

        context.Response.ContentType = "application/json";
        if (!valid)
        {
            context.Response.StatusCode = StatusCodes.Status400BadRequest;
            await context.Response.WriteAsync("{\"error\":\"invalid_grant\",\"error_description\":\"Invalid JWT Signature.\"}");
            return;
        }

        var accessToken = $"ya29.test-access-token-{Interlocked.Increment(ref issued)}";
        await context.Response.WriteAsync(new JsonObject
        {
            ["access_token"] = accessToken,
            ["expires_in"] = TokenLifetimeSeconds,
            ["token_type"] = "Bearer",
        }.ToJsonString());
    }

    private static byte[] Base64Url(string text)
    {
        var padded = text.Replace('-', '+').Replace('_', '/');
        padded += new string('=', (4 - (padded.Length % 4)) % 4);
        return Convert.FromBase64String(padded);
    }

    public async ValueTask DisposeAsync()
    {
        await app.StopAsync();
        await app.DisposeAsync();
        key.Dispose();
        File.Delete(CredentialsFile);
    }

    internal sealed record TokenRequest(string GrantType, bool SignatureValid, string? Algorithm, string? KeyId, string? Issuer, string? Scope);

    internal sealed record SendRequest(string Authorization, string? ContentType, string Body, long ReceivedAt);
}
