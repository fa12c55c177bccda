using System.Diagnostics;
using Messenger.Core.Telemetry;
using OpenTelemetry;
using OpenTelemetry.Trace;

namespace Messenger.Observability.Tests;

/// <summary>One WebSocket send is one trace, from the send through the append, the commit and each publish to each gateway's delivery and the push request.</summary>
[Collection(TelemetryCollection.Name)]
public sealed class TraceTests
{
    [Fact]
    public async Task One_send_is_one_trace_through_append_commit_both_gateways_and_the_push_request()
    {
        var spans = new List<Activity>();
        using var tracing = Sdk.CreateTracerProviderBuilder()
            .AddSource(MessengerTelemetry.Name + "*")
            .AddInMemoryExporter(spans)
            .Build();
        await using var server = await StandaloneServer.StartWithSecondGatewayAsync([], []);
        var alice = await server.Api.RegisterAsync();
        var bob = await server.Api.RegisterAsync();
        var carol = await server.Api.RegisterAsync();
        var group = await server.Api.GroupAsync(alice, bob, carol);
        await using var aliceWs = await server.Api.ConnectAsync(alice);
        await using var bobWs = await server.SecondGatewayApi.ConnectAsync(bob);
        await aliceWs.RoundTripAsync();
        await bobWs.RoundTripAsync();

        // Carol is connected nowhere: the message asks for a push to her.
        var sent = await aliceWs.SendMessageAsync(group, "traced");
        Assert.Equal("sent", WsClient.Type(sent));
        await bobWs.WaitForTypeAsync("message");

        var gateway2 = "process gateway." + StandaloneServer.SecondInstanceId;
        const string Push = "process push-requests";
        List<Activity> trace = [];
        await Eventually.HoldsAsync(() =>
        {
            trace = TraceOf(spans, group);
            return trace.Any(s => s.DisplayName == gateway2) && trace.Any(s => s.DisplayName == Push);
        }, "the send's trace reaches the second gateway and the push handler");

        var root = Assert.Single(trace, s => s.DisplayName == MessengerTelemetry.SendSpan);
        Assert.Equal(default, root.ParentSpanId);
        foreach (var name in new[] { MessengerTelemetry.AppendSpan, MessengerTelemetry.CommitSpan, "publish gateway." + StandaloneServer.SecondInstanceId, gateway2, "publish push-requests", Push })
        {
            Assert.Contains(trace, s => s.DisplayName == name);
        }

        // A tree: every span but the root has its parent in the trace.
        var ids = trace.Select(s => s.SpanId).ToHashSet();
        Assert.All(trace.Where(s => s != root), s => Assert.Contains(s.ParentSpanId, ids));
        Assert.Equal(ActivityKind.Producer, trace.First(s => s.DisplayName == "publish push-requests").Kind);
        Assert.Equal(ActivityKind.Consumer, trace.First(s => s.DisplayName == Push).Kind);
    }

    [Fact]
    public async Task Two_sends_are_two_traces_not_children_of_the_connection()
    {
        var spans = new List<Activity>();
        using var tracing = Sdk.CreateTracerProviderBuilder()
            .AddSource(MessengerTelemetry.Name + "*")
            .AddInMemoryExporter(spans)
            .Build();
        await using var server = await StandaloneServer.StartAsync();
        var alice = await server.Api.RegisterAsync();
        var bob = await server.Api.RegisterAsync();
        var chat = await server.Api.DirectAsync(alice, bob);
        await using var aliceWs = await server.Api.ConnectAsync(alice);

        await aliceWs.SendMessageAsync(chat, "one");
        await aliceWs.SendMessageAsync(chat, "two");

        List<Activity> sends = [];
        await Eventually.HoldsAsync(() => (sends = Sends(spans, chat)).Count == 2, "two send spans");
        Assert.NotEqual(sends[0].TraceId, sends[1].TraceId);
    }

    private static List<Activity> Sends(List<Activity> spans, string conversationId) =>
        Snapshot(spans).Where(s => s.DisplayName == MessengerTelemetry.SendSpan
            && (string?)s.GetTagItem(MessengerTelemetry.ConversationIdAttribute) == conversationId).ToList();

    /// <summary>The exporter adds from the threads that end spans; a copy is read while it may grow.</summary>
    private static Activity[] Snapshot(List<Activity> spans)
    {
        while (true)
        {
            try
            {
                return spans.ToArray().Where(s => s is not null).ToArray();
            }
            catch (ArgumentException)
            {
                // Copied in the middle of a resize: again.
            }
        }
    }

    private static List<Activity> TraceOf(List<Activity> spans, string conversationId)
    {
        var send = Sends(spans, conversationId).FirstOrDefault();
        if (send is null)
        {
            return [];
        }

        return Snapshot(spans).Where(s => s.TraceId == send.TraceId).ToList();
    }
}
