using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Messenger.Core.Domain;
using Messenger.Core.Ports;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Moq;

namespace Messenger.Push.Tests;

/// <summary>The device endpoints on a loopback Kestrel host with a header-based test login and a mocked store.</summary>
public sealed class PushEndpointsTests : IAsyncLifetime
{
    private readonly Mock<IDeviceStore> devices = new();
    private WebApplication app = null!;
    private HttpClient client = null!;

    public async Task InitializeAsync()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.UseKestrel(kestrel => kestrel.Listen(IPAddress.Loopback, 0));
        builder.Services.AddAuthentication(HeaderAuthenticationHandler.SchemeName)
            .AddScheme<AuthenticationSchemeOptions, HeaderAuthenticationHandler>(HeaderAuthenticationHandler.SchemeName, null);
        builder.Services.AddAuthorization();
        builder.Services.AddProblemDetails();
        builder.Services.AddSingleton(devices.Object);
        builder.AddPush();
        app = builder.Build();
        app.UseAuthentication();
        app.UseAuthorization();
        app.MapPush();
        await app.StartAsync();
        client = new HttpClient { BaseAddress = new Uri(app.Urls.Single()) };
        client.DefaultRequestHeaders.Add(HeaderAuthenticationHandler.Header, "u_1");
    }

    public async Task DisposeAsync()
    {
        client.Dispose();
        await app.StopAsync();
        await app.DisposeAsync();
    }

    [Fact]
    public async Task Register_stores_the_token_for_the_caller_and_answers_204()
    {
        var response = await client.PostAsJsonAsync("/api/devices", new { token = "fcm:token-1_A", platform = "ios" });

        Assert.Equal(HttpStatusCode.NoContent, response.StatusCode);
        devices.Verify(store => store.UpsertAsync(
            It.Is<Device>(d => d.Token == "fcm:token-1_A" && d.UserId == "u_1" && d.Platform == DevicePlatform.Ios),
            It.IsAny<CancellationToken>()), Times.Once);
    }

    [Theory]
    [InlineData("""{"platform":"android"}""", "token")]
    [InlineData("""{"token":"","platform":"android"}""", "token")]
    [InlineData("""{"token":"has space","platform":"android"}""", "token")]
    [InlineData("""{"token":"tab\there","platform":"android"}""", "token")]
    [InlineData("""{"token":"t1","platform":"windows"}""", "platform")]
    [InlineData("""{"token":"t1"}""", "platform")]
    public async Task Register_with_bad_input_answers_400_naming_the_field(string body, string field)
    {
        var response = await client.PostAsync("/api/devices", new StringContent(body, Encoding.UTF8, "application/json"));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        using var problem = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        Assert.True(problem.RootElement.GetProperty("errors").TryGetProperty(field, out _), $"errors.{field} expected");
        devices.Verify(store => store.UpsertAsync(It.IsAny<Device>(), It.IsAny<CancellationToken>()), Times.Never);
    }

    [Fact]
    public async Task Register_with_a_token_longer_than_4096_answers_400()
    {
        var atLimit = await client.PostAsJsonAsync("/api/devices", new { token = new string('x', 4096), platform = "web" });
        var tooLong = await client.PostAsJsonAsync("/api/devices", new { token = new string('x', 4097), platform = "web" });

        Assert.Equal(HttpStatusCode.NoContent, atLimit.StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, tooLong.StatusCode);
    }

    [Fact]
    public async Task Register_with_malformed_json_answers_400()
    {
        var response = await client.PostAsync("/api/devices", new StringContent("{\"token\":", Encoding.UTF8, "application/json"));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
    }

    [Fact]
    public async Task Unregister_removes_the_callers_token_and_answers_204()
    {
        var response = await client.DeleteAsync("/api/devices/fcm:token-1");

        Assert.Equal(HttpStatusCode.NoContent, response.StatusCode);
        devices.Verify(store => store.RemoveAsync("fcm:token-1", "u_1", It.IsAny<CancellationToken>()), Times.Once);
    }

    [Fact]
    public async Task Unregister_with_a_bad_token_answers_400()
    {
        var response = await client.DeleteAsync("/api/devices/has%20space");

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        devices.Verify(store => store.RemoveAsync(It.IsAny<string>(), It.IsAny<string>(), It.IsAny<CancellationToken>()), Times.Never);
    }

    [Fact]
    public async Task Both_routes_need_an_authenticated_caller()
    {
        using var anonymous = new HttpClient { BaseAddress = client.BaseAddress };

        var register = await anonymous.PostAsJsonAsync("/api/devices", new { token = "t1", platform = "android" });
        var unregister = await anonymous.DeleteAsync("/api/devices/t1");

        Assert.Equal(HttpStatusCode.Unauthorized, register.StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, unregister.StatusCode);
        devices.VerifyNoOtherCalls();
    }
}
