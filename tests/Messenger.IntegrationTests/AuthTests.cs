using System.Net;
using System.Net.WebSockets;
using Messenger.IntegrationTests.Infrastructure;

namespace Messenger.IntegrationTests;

public sealed class AuthTests(ServerFixture fixture) : IClassFixture<ServerFixture>
{
    private StandaloneServer Server => fixture.Server;

    [Fact]
    public async Task Register_returns_201_with_a_token_that_opens_protected_endpoints()
    {
        var user = await Server.Api.RegisterAsync(displayName: "Alice A.");
        var (status, body) = await Server.Api.GetAsync(user, $"/api/users/{user.Username}");
        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Equal(user.UserId, (string?)body!["userId"]);
        Assert.Equal("Alice A.", (string?)body["displayName"]);
        Assert.False((bool)body["online"]!);
    }

    [Fact]
    public async Task Register_of_a_taken_username_is_409()
    {
        var user = await Server.Api.RegisterAsync();
        var (status, body) = await Server.Api.PostAsync(null, "/api/auth/register", new { username = user.Username, password = "another password" });
        Assert.Equal(HttpStatusCode.Conflict, status);
        Assert.Equal("conflict", (string?)body!["code"]);
    }

    [Theory]
    [InlineData("Alice", "password1")]
    [InlineData("ab", "password1")]
    [InlineData("this_name_is_far_too_long_for_us_", "password1")]
    [InlineData("bad name", "password1")]
    [InlineData("fine_name", "short")]
    [InlineData(null, "password1")]
    [InlineData("fine_name", null)]
    public async Task Register_with_invalid_input_is_400_problem_details(string? username, string? password)
    {
        var (status, body) = await Server.Api.PostAsync(null, "/api/auth/register", new { username, password });
        Assert.Equal(HttpStatusCode.BadRequest, status);
        Assert.Equal("bad_request", (string?)body!["code"]);
        Assert.False(string.IsNullOrEmpty((string?)body["detail"]));
    }

    [Theory]
    [InlineData("not json")]
    [InlineData("{\"username\": 5, \"password\": \"password1\"}")]
    [InlineData("[]")]
    public async Task Register_with_a_malformed_body_is_400_problem_details(string json)
    {
        var (status, body) = await Server.Api.PostRawAsync(null, "/api/auth/register", json);
        Assert.Equal(HttpStatusCode.BadRequest, status);
        Assert.Equal("bad_request", (string?)body!["code"]);
    }

    [Fact]
    public async Task Login_with_the_right_password_is_200_and_a_wrong_one_401()
    {
        var user = await Server.Api.RegisterAsync();
        var (ok, body) = await Server.Api.PostAsync(null, "/api/auth/login", new { username = user.Username, password = "correct horse" });
        Assert.Equal(HttpStatusCode.OK, ok);
        Assert.Equal(user.UserId, (string?)body!["userId"]);
        Assert.False(string.IsNullOrEmpty((string?)body["token"]));

        var (wrong, _) = await Server.Api.PostAsync(null, "/api/auth/login", new { username = user.Username, password = "wrong horse" });
        Assert.Equal(HttpStatusCode.Unauthorized, wrong);
        var (unknown, _) = await Server.Api.PostAsync(null, "/api/auth/login", new { username = "nobody_here", password = "wrong horse" });
        Assert.Equal(HttpStatusCode.Unauthorized, unknown);
    }

    [Theory]
    [InlineData("/api/conversations")]
    [InlineData("/api/users/someone")]
    public async Task Protected_endpoints_without_a_token_are_401(string path)
    {
        var (status, _) = await Server.Api.GetAsync(null, path);
        Assert.Equal(HttpStatusCode.Unauthorized, status);
    }

    [Fact]
    public async Task A_forged_token_is_401()
    {
        var forged = new TestUser("u_x", "x", "eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiJ1X3gifQ.c2lnbmF0dXJl");
        var (status, _) = await Server.Api.GetAsync(forged, "/api/conversations");
        Assert.Equal(HttpStatusCode.Unauthorized, status);
    }

    [Fact]
    public async Task WebSocket_upgrade_without_a_valid_token_is_401()
    {
        var error = await Assert.ThrowsAsync<WebSocketException>(() => WsClient.ConnectAsync(Server.BaseAddress, "not-a-token"));
        Assert.Contains("401", error.Message);
    }

    [Fact]
    public async Task Health_and_openapi_answer_without_a_token()
    {
        using var http = Server.CreateHttpClient();
        Assert.Equal(HttpStatusCode.OK, (await http.GetAsync("/healthz")).StatusCode);
        var openapi = await http.GetStringAsync("/openapi/v1.json");
        Assert.Contains("/api/conversations", openapi);
    }

    [Fact]
    public async Task User_lookup_of_an_unknown_user_is_404_and_upper_case_is_400()
    {
        var user = await Server.Api.RegisterAsync();
        Assert.Equal(HttpStatusCode.NotFound, (await Server.Api.GetAsync(user, "/api/users/no_such_user")).Status);
        Assert.Equal(HttpStatusCode.BadRequest, (await Server.Api.GetAsync(user, "/api/users/UPPER")).Status);
    }
}
