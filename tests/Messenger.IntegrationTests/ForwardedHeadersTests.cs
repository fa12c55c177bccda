using System.Net;
using System.Net.Http.Json;
using Messenger.Hosting;
using Messenger.Hosting.RateLimits;
using Microsoft.Extensions.Options;

namespace Messenger.IntegrationTests;

/// <summary>
/// Per-address limits behind a proxy: X-Forwarded-For names the client only when the direct peer is a trusted proxy
/// (<c>Messenger:ForwardedHeaders</c>); IPv6 clients count by their /64.
/// </summary>
public sealed class ForwardedHeadersTests
{
    private const string Section = "--" + ForwardedHeadersSettings.Section;

    /// <summary>Two registrations per address, and no refill worth speaking of during a test.</summary>
    private static readonly string[] TightRegistrations =
        ["--" + RateLimitOptions.Section + ":Registrations:Burst", "2", "--" + RateLimitOptions.Section + ":Registrations:PerMinute", "1"];

    /// <summary>The tests connect over loopback: that peer is the trusted proxy.</summary>
    private static readonly string[] TrustLoopback =
        [Section + ":KnownProxies:0", "127.0.0.1", Section + ":KnownProxies:1", "::1", .. TightRegistrations];

    [Fact]
    public async Task From_a_trusted_proxy_each_forwarded_client_has_its_own_registration_bucket()
    {
        await using var server = await StandaloneServer.StartAsync(settings: TrustLoopback);

        Assert.Equal(HttpStatusCode.Created, await RegisterAsync(server, "203.0.113.7"));
        Assert.Equal(HttpStatusCode.Created, await RegisterAsync(server, "203.0.113.7"));
        Assert.Equal(HttpStatusCode.TooManyRequests, await RegisterAsync(server, "203.0.113.7"));
        Assert.Equal(HttpStatusCode.Created, await RegisterAsync(server, "203.0.113.8"));
        Assert.Equal(HttpStatusCode.Created, await RegisterAsync(server, null));
    }

    [Fact]
    public async Task A_client_behind_a_trusted_proxy_cannot_pick_its_bucket_by_prepending_addresses()
    {
        await using var server = await StandaloneServer.StartAsync(settings: TrustLoopback);
        await RegisterAsync(server, "203.0.113.7");
        await RegisterAsync(server, "203.0.113.7");

        // The proxy appended the address it saw; what the client wrote before it is not a trusted proxy's word.
        Assert.Equal(HttpStatusCode.TooManyRequests, await RegisterAsync(server, "198.51.100.1, 203.0.113.7"));
        Assert.Equal(HttpStatusCode.TooManyRequests, await RegisterAsync(server, "198.51.100.2,203.0.113.7"));
    }

    public static TheoryData<string[]> OtherProxies => new()
    {
        Array.Empty<string>(),
        new[] { Section + ":KnownProxies:0", "10.1.2.3" },
        new[] { Section + ":KnownNetworks:0", "10.0.0.0/8", Section + ":KnownNetworks:1", "fd00::/8" },
    };

    [Theory]
    [MemberData(nameof(OtherProxies))]
    public async Task From_an_untrusted_peer_the_forwarded_address_is_ignored(string[] trusted)
    {
        await using var server = await StandaloneServer.StartAsync(settings: [.. trusted, .. TightRegistrations]);

        Assert.Equal(HttpStatusCode.Created, await RegisterAsync(server, "203.0.113.1"));
        Assert.Equal(HttpStatusCode.Created, await RegisterAsync(server, "203.0.113.2"));
        Assert.Equal(HttpStatusCode.TooManyRequests, await RegisterAsync(server, "203.0.113.3"));
        Assert.Equal(HttpStatusCode.TooManyRequests, await RegisterAsync(server, null));
    }

    [Fact]
    public async Task Two_IPv6_clients_in_one_64_share_a_bucket_and_the_next_64_has_its_own()
    {
        await using var server = await StandaloneServer.StartAsync(settings: TrustLoopback);

        Assert.Equal(HttpStatusCode.Created, await RegisterAsync(server, "2001:db8:1:2::1"));
        Assert.Equal(HttpStatusCode.Created, await RegisterAsync(server, "2001:db8:1:2:aaaa:bbbb:cccc:dddd"));
        Assert.Equal(HttpStatusCode.TooManyRequests, await RegisterAsync(server, "2001:db8:1:2:ffff::9"));
        Assert.Equal(HttpStatusCode.Created, await RegisterAsync(server, "2001:db8:1:3::1"));
    }

    [Theory]
    [InlineData(":KnownProxies:0", "not-an-address")]
    [InlineData(":KnownNetworks:0", "10.0.0.0/33")]
    [InlineData(":KnownNetworks:0", "10.0.0.1")]
    public async Task A_proxy_setting_that_is_not_an_address_or_network_refuses_to_start(string key, string value)
    {
        var error = await Assert.ThrowsAnyAsync<Exception>(() => StandaloneServer.StartAsync(settings: [Section + key, value]));

        var validation = Assert.IsType<OptionsValidationException>(error.GetBaseException());
        Assert.Contains(value, validation.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("203.0.113.7", "203.0.113.7")]
    [InlineData("::ffff:203.0.113.7", "203.0.113.7")]
    [InlineData("2001:db8:1:2:aaaa:bbbb:cccc:dddd", "2001:db8:1:2::/64")]
    [InlineData("2001:db8:1:2::1", "2001:db8:1:2::/64")]
    [InlineData("::1", "::/64")]
    public void Client_address_keys_ipv4_by_address_and_ipv6_by_its_64(string address, string key)
    {
        Assert.Equal(key, ClientAddress.KeyOf(IPAddress.Parse(address)));
    }

    private static async Task<HttpStatusCode> RegisterAsync(StandaloneServer server, string? forwardedFor)
    {
        using var http = server.CreateHttpClient();
        using var request = new HttpRequestMessage(HttpMethod.Post, "/api/auth/register")
        {
            Content = JsonContent.Create(new { username = ApiClient.UniqueName(), password = ApiClient.Password }),
        };
        if (forwardedFor is not null)
        {
            request.Headers.TryAddWithoutValidation("X-Forwarded-For", forwardedFor);
        }

        using var response = await http.SendAsync(request);
        return response.StatusCode;
    }
}
