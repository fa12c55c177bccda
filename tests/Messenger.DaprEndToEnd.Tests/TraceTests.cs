using Messenger.DaprEndToEnd.Tests.Infrastructure;
using Xunit.Abstractions;

namespace Messenger.DaprEndToEnd.Tests;

/// <summary>
/// One message, one trace, across the apps as separate processes and the sidecars between them. The run's apps record
/// spans (<c>Messenger__Telemetry__Tracing</c>) and write JSON log lines whose scopes carry the trace id: the gateway's
/// line for each WebSocket send (inside its <c>messenger.send</c> span) and one line per routed request
/// (<see cref="DaprRun"/>'s settings). The test reads the trace ids off them: the send on gateway-1, the messages app's
/// request for the <c>ConversationActor</c>'s append (through both sidecars) and gateway-2's CloudEvent delivery
/// (published by the messages app, through the broker and gateway-2's sidecar).
/// </summary>
[Collection(DaprRunCollection.Name)]
public sealed class TraceTests(DaprRun run, ITestOutputHelper output) : RunTest(run, output)
{
    /// <summary>The instances of dapr.yaml: the senders' gateway, the messages app, the recipient's gateway.</summary>
    private const string SenderGateway = "gateway-1";
    private const string MessagesInstance = "messages";
    private const string RecipientGateway = "gateway-2";

    /// <summary>
    /// <c>DaprNames.ConversationActorType</c> and <c>IConversationActor.AppendAsync</c>: the send's actor call is
    /// <c>/actors/ConversationActor/{id}/method/AppendAsync</c> in the messages app.
    /// </summary>
    private const string ConversationActorType = "ConversationActor";
    private const string AppendMethod = "AppendAsync";

    /// <summary>The gateway's subscription route (<c>DaprRoutes.For("gateway")</c>), where its CloudEvents arrive.</summary>
    private const string GatewayEventsPath = "/events/gateway";

    /// <summary>The arguments of the gateway's "Connection … sends message …" line (<c>GatewayLog.Sending</c>).</summary>
    private const string ClientMessageIdArgument = "ClientMessageId";
    private const string ConversationIdArgument = "ConversationId";

    [Fact]
    public async Task A_message_sent_on_one_gateway_to_a_member_on_the_other_is_one_trace_through_the_actor_call_and_the_delivery_and_another_message_is_another()
    {
        var alice = await Run.Api.RegisterAsync(prefix: "alice");
        var carol = await Run.Api.RegisterAsync(prefix: "carol");
        var bob = await Run.Api.RegisterAsync(prefix: "bob");
        var first = await Run.Api.DirectAsync(alice, bob);
        var second = await Run.Api.DirectAsync(carol, bob);
        await using var aliceWs = await Run.Gateway(1).ConnectAsync(alice);
        await using var carolWs = await Run.Gateway(1).ConnectAsync(carol);
        await using var bobWs = await Run.Gateway(2).ConnectAsync(bob);
        await Task.WhenAll(aliceWs.RoundTripAsync(), carolWs.RoundTripAsync(), bobWs.RoundTripAsync());
        var mark = Run.Mark();

        Assert.Equal("sent", WsClient.Type(await aliceWs.SendMessageAsync(first, "first", nameof(first))));
        await bobWs.WaitForAsync(f => WsClient.Type(f) == "message" && (string?)f["message"]!["clientMessageId"] == nameof(first), Wait);
        Assert.Equal("sent", WsClient.Type(await carolWs.SendMessageAsync(second, "second", nameof(second))));
        await bobWs.WaitForAsync(f => WsClient.Type(f) == "message" && (string?)f["message"]!["clientMessageId"] == nameof(second), Wait);

        // The log lines reach the run's output through the runner's pipes, possibly after the frames: wait for them.
        (string Conversation, string ClientMessageId)[] sends = [(first, nameof(first)), (second, nameof(second))];
        await WaitUntilAsync(
            () =>
            {
                var lines = AppLogLine.Parse(Run.LinesSince(mark));
                return sends.All(s => SendTraces(lines, s.Conversation, s.ClientMessageId).Count > 0
                                      && AppendTraces(lines, s.Conversation).Count > 0
                                      && AppendTraces(lines, s.Conversation).All(DeliveryTraces(lines).Contains));
            },
            Wait);

        var lines = AppLogLine.Parse(Run.LinesSince(mark));
        foreach (var line in lines.Where(l => l.Level == AppLogLine.DebugLevel && l.Instance is SenderGateway or MessagesInstance or RecipientGateway))
        {
            // The Debug lines stay out of run.log and the test's output (RunTest): these are the ones the test reads.
            Output.WriteLine($"{line.Instance} trace {line.TraceId} {line.RequestPath}: {line.Message}");
        }

        var deliveries = DeliveryTraces(lines);
        var traces = new List<string>();
        foreach (var (conversation, clientMessageId) in sends)
        {
            var sent = Assert.Single(SendTraces(lines, conversation, clientMessageId));
            var appended = Assert.Single(AppendTraces(lines, conversation));
            Assert.Equal(sent, appended);
            Assert.Contains(sent, deliveries);
            traces.Add(sent);
        }

        Assert.NotEqual(traces[0], traces[1]);
    }

    /// <summary>The trace ids of the sender gateway's lines for the send of <paramref name="clientMessageId"/>.</summary>
    private static List<string> SendTraces(IEnumerable<AppLogLine> lines, string conversationId, string clientMessageId) =>
        lines.Where(l => l.Instance == SenderGateway && l.TraceId is not null
                         && l.State.GetValueOrDefault(ClientMessageIdArgument) == clientMessageId
                         && l.State.GetValueOrDefault(ConversationIdArgument) == conversationId)
            .Select(l => l.TraceId!)
            .Distinct()
            .ToList();

    /// <summary>The distinct trace ids of the messages app's lines logged in requests for the conversation actor's append.</summary>
    private static List<string> AppendTraces(IEnumerable<AppLogLine> lines, string conversationId) =>
        lines.Where(l => l.Instance == MessagesInstance && l.TraceId is not null
                         && l.RequestPath == $"/actors/{ConversationActorType}/{conversationId}/method/{AppendMethod}")
            .Select(l => l.TraceId!)
            .Distinct()
            .ToList();

    /// <summary>The trace ids of the recipient gateway's lines logged in CloudEvent deliveries to it.</summary>
    private static HashSet<string> DeliveryTraces(IEnumerable<AppLogLine> lines) =>
        lines.Where(l => l.Instance == RecipientGateway && l.TraceId is not null && l.RequestPath == GatewayEventsPath)
            .Select(l => l.TraceId!)
            .ToHashSet();
}
