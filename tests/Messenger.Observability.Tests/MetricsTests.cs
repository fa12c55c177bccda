using System.Globalization;
using System.Net;
using System.Text.RegularExpressions;

namespace Messenger.Observability.Tests;

/// <summary>/metrics (Prometheus text) on the standalone host: the counters of the per-message path move with a send.</summary>
[Collection(TelemetryCollection.Name)]
public sealed partial class MetricsTests
{
    [Fact]
    public async Task Metrics_after_a_send_show_the_append_the_delivery_the_commit_and_the_connections()
    {
        await using var server = await StandaloneServer.StartAsync(null, "--Messenger:MessageLogMergeInterval", "00:00:01");
        var alice = await server.Api.RegisterAsync();
        var bob = await server.Api.RegisterAsync();
        var chat = await server.Api.DirectAsync(alice, bob);
        await using var aliceWs = await server.Api.ConnectAsync(alice);
        await using var bobWs = await server.Api.ConnectAsync(bob);
        await bobWs.RoundTripAsync();
        var before = await ScrapeAsync(server);

        await aliceWs.SendMessageAsync(chat, "counted");
        await bobWs.WaitForTypeAsync("message");
        await aliceWs.SendAsync(new { type = "sync", cursors = new { } });
        await aliceWs.WaitForTypeAsync("synced");

        // Delivered to the socket just before the frame is read, counted just after the write returns.
        var after = await ScrapeAsync(server);
        await Eventually.HoldsAsync(async () => Sum(after = await ScrapeAsync(server), "messenger_deliveries_total") > Sum(before, "messenger_deliveries_total"), "deliveries counted");
        Assert.True(Sum(after, "messenger_messages_appended_total", "messenger_kind=\"text\"") >= Sum(before, "messenger_messages_appended_total", "messenger_kind=\"text\"") + 1);
        Assert.True(Sum(after, "messenger_delivery_duration_seconds_count") > Sum(before, "messenger_delivery_duration_seconds_count"));
        const string Log = "messenger_store_file=\"log\"";
        Assert.True(Sum(after, "messenger_sqlite_commit_size_count", Log) > Sum(before, "messenger_sqlite_commit_size_count", Log));
        Assert.True(Sum(after, "messenger_sqlite_commit_duration_seconds_count", Log) > Sum(before, "messenger_sqlite_commit_duration_seconds_count", Log));
        Assert.True(Sum(after, "messenger_sync_requests_total") > Sum(before, "messenger_sync_requests_total"));
        Assert.True(Sum(after, "messenger_connections", $"messenger_gateway_id=\"{StandaloneServer.MainInstanceId}\"") >= 2);
        Assert.Contains("messenger_outbound_queue_depth", after, StringComparison.Ordinal);

        // The message log is merged into the table within its interval (set to 1 s here) when it holds anything.
        await Eventually.HoldsAsync(
            async () => Sum(after = await ScrapeAsync(server), "messenger_sqlite_merge_size_sum") >= Sum(before, "messenger_sqlite_merge_size_sum") + 1,
            "the message merged into the table");
        Assert.True(Sum(after, "messenger_sqlite_merge_duration_seconds_count") > Sum(before, "messenger_sqlite_merge_duration_seconds_count"));
    }

    [Fact]
    public async Task A_refused_frame_counts_as_a_rate_limit_rejection_of_its_kind()
    {
        await using var server = await StandaloneServer.StartAsync(null, "--Messenger:RateLimits:Typing:Burst", "1", "--Messenger:RateLimits:Typing:PerMinute", "1");
        var alice = await server.Api.RegisterAsync();
        var bob = await server.Api.RegisterAsync();
        var chat = await server.Api.DirectAsync(alice, bob);
        await using var aliceWs = await server.Api.ConnectAsync(alice);
        var before = Sum(await ScrapeAsync(server), "messenger_rate_limit_rejections_total", "messenger_kind=\"typing\"");

        await aliceWs.SendAsync(new { type = "typing", conversationId = chat });
        await aliceWs.SendAsync(new { type = "typing", conversationId = chat });
        await aliceWs.WaitForAsync(f => WsClient.Type(f) == "error" && (string?)f["code"] == "rate_limited");

        Assert.Equal(before + 1, Sum(await ScrapeAsync(server), "messenger_rate_limit_rejections_total", "messenger_kind=\"typing\""));
    }

    [Fact]
    public async Task With_a_metrics_port_the_public_port_does_not_serve_metrics()
    {
        // A port nothing listens on: /metrics answers there only, so the one port the host has never shows it.
        await using var server = await StandaloneServer.StartAsync(null, "--Messenger:Telemetry:MetricsPort", "1");
        using var http = server.CreateHttpClient();

        using var response = await http.GetAsync("/metrics");
        var body = await response.Content.ReadAsStringAsync();

        Assert.DoesNotContain("messenger_", body, StringComparison.Ordinal);
        Assert.DoesNotContain("# TYPE", body, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Liveness_and_readiness_answer_and_readiness_checks_the_database()
    {
        await using var server = await StandaloneServer.StartAsync();
        using var http = server.CreateHttpClient();

        using var live = await http.GetAsync("/healthz/live");
        using var ready = await http.GetAsync("/healthz/ready");
        using var health = await http.GetAsync("/healthz");

        Assert.Equal(HttpStatusCode.OK, live.StatusCode);
        Assert.Equal(HttpStatusCode.OK, ready.StatusCode);
        Assert.Equal("Healthy", await ready.Content.ReadAsStringAsync());
        Assert.Equal(HttpStatusCode.OK, health.StatusCode);
    }

    private static async Task<string> ScrapeAsync(StandaloneServer server)
    {
        using var http = server.CreateHttpClient();
        using var response = await http.GetAsync("/metrics");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return await response.Content.ReadAsStringAsync();
    }

    /// <summary>The sum of the samples of <paramref name="metric"/> (whose labels contain <paramref name="label"/>, if given).</summary>
    private static double Sum(string exposition, string metric, string? label = null) =>
        Sample().Matches(exposition)
            .Where(m => m.Groups["name"].Value == metric && (label is null || m.Groups["labels"].Value.Contains(label, StringComparison.Ordinal)))
            .Sum(m => double.Parse(m.Groups["value"].Value, CultureInfo.InvariantCulture));

    [GeneratedRegex(@"^(?<name>[a-zA-Z_:][a-zA-Z0-9_:]*)(?:\{(?<labels>[^}]*)\})? (?<value>[-+0-9.eE]+|NaN|\+Inf)(?: \d+)?$", RegexOptions.Multiline)]
    private static partial Regex Sample();
}
