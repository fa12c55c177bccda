using System.Net;
using System.Text.Json.Nodes;
using Messenger.DaprEndToEnd.Tests.Infrastructure;
using Xunit.Abstractions;

namespace Messenger.DaprEndToEnd.Tests;

/// <summary>A reaction and an edit through the sidecar double: the actor's turn, the state store, pub/sub to the other gateway.</summary>
[Collection(DaprRunCollection.Name)]
public sealed class MessageChangeTests(DaprRun run, ITestOutputHelper output) : RunTest(run, output)
{
    [Fact]
    public async Task A_reaction_and_an_edit_cross_gateways_as_events_and_history_reads_back_the_fold()
    {
        var alice = await Run.Api.RegisterAsync(prefix: "alice");
        var bob = await Run.Api.RegisterAsync(prefix: "bob");
        var chat = await Run.Api.DirectAsync(alice, bob);
        await using var aliceWs = await Run.Gateway(1).ConnectAsync(alice);
        await using var bobWs = await Run.Gateway(2).ConnectAsync(bob);
        await Task.WhenAll(aliceWs.RoundTripAsync(), bobWs.RoundTripAsync());

        await aliceWs.SendMessageAsync(chat, "helo");
        await bobWs.WaitForAsync(f => IsMessage(f, 1));
        var reacted = await bobWs.StoreAsync(new JsonObject { ["type"] = "react", ["conversationId"] = chat, ["targetSeq"] = 1, ["emoji"] = "👍" });
        var edited = await Run.Api.PatchAsync(alice, $"/api/conversations/{chat}/messages/1", new { clientMessageId = "e1", text = "hello" });

        Assert.Equal(2, (long)reacted["seq"]!);
        Assert.Equal(HttpStatusCode.Created, edited.Status);
        Assert.Equal("reaction", (string?)(await aliceWs.WaitForAsync(f => IsMessage(f, 2)))["message"]!["kind"]);
        Assert.Equal("edit", (string?)(await bobWs.WaitForAsync(f => IsMessage(f, 3)))["message"]!["kind"]);
        var history = await Run.Api.HistoryAsync(bob, chat);
        Assert.Equal("hello", (string?)history[0]["text"]);
        Assert.Equal(bob.UserId, (string?)history[0]["reactions"]!["👍"]![0]);
        Assert.Equal(["message", "reaction", "edit"], history.Select(m => (string?)m["kind"]));
    }

    private static bool IsMessage(JsonObject frame, long seq) =>
        WsClient.Type(frame) == "message" && (long?)frame["message"]!["seq"] == seq;
}
