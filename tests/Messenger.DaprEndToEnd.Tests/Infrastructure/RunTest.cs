using System.Text.Json.Nodes;
using Xunit.Abstractions;

namespace Messenger.DaprEndToEnd.Tests.Infrastructure;

/// <summary>
/// What every test of the suite shares: the run, the lines the run wrote while the test ran (into the test's output,
/// the last <see cref="MaxOutputLines"/>), and the checks on frames a client received.
/// </summary>
public abstract class RunTest(DaprRun run, ITestOutputHelper output) : IAsyncLifetime
{
    private const int MaxOutputLines = 400;
    private long mark;

    protected DaprRun Run { get; } = run;

    protected ITestOutputHelper Output { get; } = output;

    /// <summary>Waits for a live message, a presence change, a push to arrive across the run.</summary>
    protected static TimeSpan Wait { get; } = TimeSpan.FromSeconds(20);

    public virtual Task InitializeAsync()
    {
        mark = Run.Mark();
        return Task.CompletedTask;
    }

    public virtual Task DisposeAsync()
    {
        var lines = Run.LinesSince(mark, debug: false);
        foreach (var line in lines.Skip(Math.Max(0, lines.Count - MaxOutputLines)))
        {
            Output.WriteLine(line);
        }

        return Task.CompletedTask;
    }

    /// <summary>The seqs of the <c>message</c> frames of <paramref name="conversationId"/> this client received, in arrival order.</summary>
    protected static List<long> MessageSeqs(WsClient client, string conversationId) =>
        client.Received
            .Where(f => WsClient.Type(f) == "message" && (string?)f["message"]!["conversationId"] == conversationId)
            .Select(f => (long)f["message"]!["seq"]!)
            .ToList();

    /// <summary>No seq twice and none after a higher one: what the protocol promises on one connection.</summary>
    protected static void AssertAscendingOnce(IReadOnlyList<long> seqs, string who)
    {
        for (var i = 1; i < seqs.Count; i++)
        {
            Assert.True(seqs[i] > seqs[i - 1], $"{who} got seq {seqs[i]} after {seqs[i - 1]} (message frames: {string.Join(',', seqs)})");
        }
    }

    /// <summary>
    /// <paramref name="sender"/> sends a first message and waits until every one of <paramref name="others"/> has it, so
    /// that each of their connections has seen the conversation before the test's concurrent sends begin. Without it a
    /// member whose own <c>sent</c> is the first thing its connection sees of the conversation loses the earlier
    /// messages of others that arrive after it (an app bug, see
    /// <c>FaultTests.A_member_whose_first_sight_of_a_conversation_is_its_own_sent_still_gets_the_earlier_message</c>).
    /// </summary>
    protected static async Task FirstMessageAsync(WsClient sender, string conversationId, params WsClient[] others)
    {
        Assert.Equal("sent", WsClient.Type(await sender.SendMessageAsync(conversationId, "hello", "hello")));
        foreach (var other in others)
        {
            await other.WaitForAsync(f => WsClient.Type(f) == "message" && (string?)f["message"]!["clientMessageId"] == "hello", Wait);
        }
    }

    /// <summary>Waits until <paramref name="condition"/> holds or the time is up, without failing: the assertion after it says what is wrong.</summary>
    protected static async Task WaitUntilAsync(Func<bool> condition, TimeSpan timeout)
    {
        var watch = System.Diagnostics.Stopwatch.StartNew();
        while (!condition() && watch.Elapsed < timeout)
        {
            await Task.Delay(50);
        }
    }

    /// <summary>Waits until the user counts as online (or offline) in <c>GET /api/users/{username}</c>.</summary>
    protected async Task OnlineAsync(TestUser asUser, TestUser user, bool online, TimeSpan? timeout = null) =>
        await Eventually.HoldsAsync(
            async () => (bool?)(await Run.Api.ProfileAsync(asUser, user.Username))["online"] == online,
            $"{user.Username} counts as {(online ? "online" : "offline")}",
            timeout ?? Wait);

    protected static JsonObject MessageOf(JsonObject frame) => frame["message"]!.AsObject();
}
