using System.Net.WebSockets;
using Messenger.ReliabilityTests.Infrastructure;

namespace Messenger.ReliabilityTests.Hostile;

/// <summary>A text frame that is not UTF-8 closes the connection with 1007, as RFC 6455 requires: every time.</summary>
public sealed class InvalidUtf8Tests(CorpusWorld world) : IClassFixture<CorpusWorld>
{
    private const int Tries = 300;

    [Fact]
    public async Task Invalid_utf8_closes_with_1007_every_time()
    {
        var lost = new List<string>();
        for (var i = 0; i < Tries; i++)
        {
            await using var ws = await WsClient.ConnectAsync(world.Server.BaseAddress, world.Me.Token);
            await ws.SendBytesAsync("{\"type\":\"ping\",\"x\":\""u8.ToArray().Concat(new byte[] { 0xed, 0xa0, 0x80, 0x22, 0x7d }).ToArray());
            await ws.Closed.WaitAsync(TimeSpan.FromSeconds(10));
            if (ws.CloseStatus != WebSocketCloseStatus.InvalidPayloadData)
            {
                lost.Add($"try {i}: {ws.CloseStatus?.ToString() ?? "no close frame"}");
            }
        }

        Assert.True(lost.Count == 0, $"{lost.Count} of {Tries} connections ended without 1007: {string.Join(", ", lost.Take(10))}");
    }
}
