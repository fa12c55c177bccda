using System.Net.WebSockets;
using System.Text.Json.Nodes;
using Messenger.ReliabilityTests.Infrastructure;

namespace Messenger.ReliabilityTests.Hostile;

/// <summary>
/// Every malformed WebSocket frame of Corpus/websocket against the real host: the answer the corpus names, the
/// connection still open (unless RFC 6455 says close), nothing about a conversation of others, and no stored change.
/// </summary>
public sealed class WebSocketCorpusTests(CorpusWorld world) : IClassFixture<CorpusWorld>
{
    public static IEnumerable<object[]> Cases => CorpusCase.Load("websocket");

    [Theory]
    [MemberData(nameof(Cases))]
    public async Task A_malformed_frame_gets_its_answer_and_changes_nothing(CorpusCase corpusCase)
    {
        var expect = corpusCase.Expect[0];
        var before = await world.SnapshotAsync();
        await using (var ws = await WsClient.ConnectAsync(world.Server.BaseAddress, world.Me.Token))
        {
            var bytes = world.Expand(corpusCase.Bytes());
            await ws.SendBytesAsync(bytes, corpusCase.File.EndsWith(".bin", StringComparison.Ordinal) ? WebSocketMessageType.Binary : WebSocketMessageType.Text);
            switch (expect.Split(':'))
            {
                case ["error", var code]:
                    var error = await ws.WaitForTypeAsync("error");
                    Assert.Equal(code, (string?)error["code"]);
                    Assert.False(string.IsNullOrWhiteSpace((string?)error["message"]));
                    await ws.RoundTripAsync();
                    break;
                case ["pong"]:
                    await ws.WaitForTypeAsync("pong");
                    break;
                case ["synced"]:
                    await ws.WaitForTypeAsync("synced");
                    await ws.RoundTripAsync();
                    break;
                case ["ok"]:
                    await ws.RoundTripAsync();
                    break;
                case ["closed"]:
                    // RFC 6455 says 1007; that the status always arrives is InvalidUtf8Tests' business (a product bug loses it at times).
                    await ws.Closed.WaitAsync(TimeSpan.FromSeconds(10));
                    Assert.True(ws.CloseStatus is null or WebSocketCloseStatus.InvalidPayloadData, $"closed with {ws.CloseStatus}");
                    break;
                default:
                    throw new InvalidOperationException($"Unknown expectation {expect} in cases.tsv");
            }

            var frames = ws.TakeAll();
            if (expect is "ok" or "pong" or "synced")
            {
                Assert.DoesNotContain(frames, f => WsClient.Type(f) == "error");
            }

            Assert.DoesNotContain(frames, f => f.ToJsonString().Contains(world.Foreign, StringComparison.Ordinal));
            Assert.All(frames.Where(f => WsClient.Type(f) == "message"), f => Assert.NotEqual(world.Foreign, (string?)f["message"]!["conversationId"]));
        }

        Assert.Equal(before, await world.SnapshotAsync());
    }
}
