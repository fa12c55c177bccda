using System.Collections.Immutable;
using FsCheck;
using FsCheck.Fluent;
using Messenger.Core.Domain;
using Messenger.Core.Errors;
using Messenger.Core.Services;
using Messenger.Embedded.Owner;
using Messenger.Embedded.Sqlite;
using Messenger.ReliabilityTests.Infrastructure;
using Xunit.Abstractions;

namespace Messenger.ReliabilityTests.Properties;

/// <summary>
/// The rules of a conversation (ConversationEngine behind the SerialConversationOwner, on the real SQLite state store)
/// under generated interleavings of sends with repeated clientMessageIds, cursor moves and membership changes.
/// </summary>
public sealed class EngineProperties(ITestOutputHelper output)
{
    private const string Conversation = "c_property";
    private int cases;
    private int steps;
    private int duplicates;
    private int refusals;
    private int cursorMoves;
    private int membershipChanges;
    private long messages;

    [Fact]
    public void Seq_stays_gap_free_duplicates_store_once_and_cursors_never_move_back()
    {
        Check.One(
            FsCheck.Config.QuickThrowOnFailure.WithMaxTest(FaultSettings.PropertyRuns).WithEndSize(40).WithQuietOnSuccess(true),
            Prop.ForAll(EngineScript.Arbitrary(), RunAsync));
        output.WriteLine(
            $"{cases} interleavings, {steps} steps: {messages} messages stored, {duplicates} repeated sends stored once, " +
            $"{cursorMoves} cursor moves, {membershipChanges} membership changes, {refusals} refusals");
        Assert.True(duplicates > 0 && cursorMoves > 0 && membershipChanges > 0 && refusals > 0, "the generator no longer reaches every kind of step");
    }

    private static string User(int index) => $"u_{index}";

    private async Task RunAsync(EngineScript script)
    {
        var dir = Path.Combine(Directory.Exists("/dev/shm") ? "/dev/shm" : Path.GetTempPath(), "messenger-property-" + Guid.NewGuid().ToString("n"));
        var database = new SqliteDatabase(Path.Combine(dir, "messenger.db"));
        try
        {
            var store = new SqliteConversationStateStore(database);
            var owner = new SerialConversationOwner(new ConversationEngine(store, TimeProvider.System, new ChatOptions()), new ChatOptions { MaxGroupMembers = EngineScript.MaxMembers });
            var now = DateTimeOffset.UtcNow;
            var previous = await owner.CreateAsync(
                new ConversationState(Conversation, ConversationType.Group, "Property", User(0), now, [User(0), User(1), User(2)], 0, now, ImmutableDictionary<string, Cursor>.Empty),
                CancellationToken.None);
            var stored = new Dictionary<(string Sender, string ClientId), long>();
            foreach (var batch in script.Batches)
            {
                var outcomes = await Task.WhenAll(batch.Select(op => ApplyAsync(owner, op)));
                var state = (await owner.GetAsync(Conversation, CancellationToken.None))!;
                Count(outcomes);
                CheckOutcomes(batch, outcomes, stored, state);
                await CheckStoredAsync(database, store, state, stored);
                CheckCursors(batch, outcomes, previous, state);
                previous = state;
            }

            Interlocked.Increment(ref cases);
            Interlocked.Add(ref messages, previous.LastSeq);
        }
        finally
        {
            await database.DisposeAsync();
            TempDirectory.TryDelete(dir);
        }
    }

    private void Count(object[] outcomes)
    {
        Interlocked.Add(ref steps, outcomes.Length);
        Interlocked.Add(ref duplicates, outcomes.Count(o => o is AppendOutcome { Duplicate: true }));
        Interlocked.Add(ref refusals, outcomes.Count(o => o is ChatException));
        Interlocked.Add(ref cursorMoves, outcomes.Count(o => o is CursorOutcome { Changed: true }));
        Interlocked.Add(ref membershipChanges, outcomes.Count(o => o is MembershipOutcome { Changed: true }));
    }

    /// <summary>Runs one step; a refusal (ChatException) is a fine outcome, anything else thrown fails the property.</summary>
    private static async Task<object> ApplyAsync(SerialConversationOwner owner, EngineOp op)
    {
        try
        {
            return op.Kind switch
            {
                EngineOpKind.Append => await owner.AppendAsync(Conversation, new MessageDraft(User(op.Actor), op.ClientId, $"text {op.ClientId}", null), CancellationToken.None),
                EngineOpKind.MoveCursor => await owner.AdvanceCursorAsync(Conversation, new CursorMove(User(op.Actor), op.Delivered, op.Read), CancellationToken.None),
                _ => await owner.ChangeMembersAsync(Conversation, new MembershipChange(User(op.Actor), User(op.Target), op.Kind == EngineOpKind.AddMember ? MembershipAction.Add : MembershipAction.Remove), CancellationToken.None),
            };
        }
        catch (ChatException e)
        {
            return e;
        }
    }

    private static void CheckOutcomes(IReadOnlyList<EngineOp> batch, object[] outcomes, Dictionary<(string, string), long> stored, ConversationState state)
    {
        for (var i = 0; i < batch.Count; i++)
        {
            switch (outcomes[i])
            {
                case ChatException refused:
                    Assert.Contains(refused.Code, new[] { ErrorCodes.NotFound, ErrorCodes.Forbidden, ErrorCodes.BadRequest });
                    break;
                case AppendOutcome appended:
                    var key = (User(batch[i].Actor), batch[i].ClientId);
                    Assert.Equal(key, (appended.Message.SenderId, appended.Message.ClientMessageId));
                    if (stored.TryGetValue(key, out var seq))
                    {
                        Assert.True(appended.Duplicate || seq == appended.Message.Seq, $"{batch[i]} stored a second time as seq {appended.Message.Seq} (first {seq})");
                        Assert.Equal(seq, appended.Message.Seq);
                    }
                    else
                    {
                        stored[key] = appended.Message.Seq;
                    }

                    Assert.InRange(appended.Message.Seq, 1, state.LastSeq);
                    break;
                case CursorOutcome cursor:
                    Assert.True(cursor.Cursor.ReadSeq <= cursor.Cursor.DeliveredSeq, $"{batch[i]} gave read {cursor.Cursor.ReadSeq} > delivered {cursor.Cursor.DeliveredSeq}");
                    break;
            }
        }
    }

    /// <summary>What is on disk: the same state as in memory, seq 1..N without gap, each clientMessageId once, as answered.</summary>
    private static async Task CheckStoredAsync(SqliteDatabase database, SqliteConversationStateStore store, ConversationState state, Dictionary<(string, string), long> stored)
    {
        var fromDisk = (await new SqliteConversationStateStore(database).LoadAsync(Conversation, CancellationToken.None))!;
        Assert.Equal(state.LastSeq, fromDisk.LastSeq);
        Assert.Equal(state.MemberIds.Order(), fromDisk.MemberIds.Order());
        Assert.Equal(state.Cursors.Where(c => c.Value != Cursor.Zero).OrderBy(c => c.Key), fromDisk.Cursors.Where(c => c.Value != Cursor.Zero).OrderBy(c => c.Key));

        var messages = new List<Message>();
        var reader = new SqliteMessageStore(database, store);
        long after = 0;
        while (true)
        {
            var page = await reader.GetMessagesAsync(Conversation, HistoryQuery.Create(after, null, HistoryQuery.MaxLimit), CancellationToken.None);
            messages.AddRange(page);
            if (page.Count < HistoryQuery.MaxLimit)
            {
                break;
            }

            after = page[^1].Seq;
        }

        Assert.Equal(Enumerable.Range(1, (int)state.LastSeq).Select(i => (long)i), messages.Select(m => m.Seq));
        Assert.Equal(
            stored.OrderBy(s => s.Value).Select(s => (s.Key, s.Value)),
            messages.Select(m => ((m.SenderId, m.ClientMessageId), m.Seq)));
    }

    /// <summary>Read implies delivered, both within the last seq, and neither moves back for a member who stayed one.</summary>
    private static void CheckCursors(IReadOnlyList<EngineOp> batch, object[] outcomes, ConversationState previous, ConversationState state)
    {
        var removed = batch.Where((op, i) => op.Kind == EngineOpKind.RemoveMember && outcomes[i] is MembershipOutcome { Changed: true }).Select(op => User(op.Target)).ToHashSet();
        foreach (var member in state.MemberIds)
        {
            var cursor = state.CursorOf(member);
            Assert.True(cursor.ReadSeq <= cursor.DeliveredSeq && cursor.DeliveredSeq <= state.LastSeq, $"{member}: read {cursor.ReadSeq}, delivered {cursor.DeliveredSeq}, last seq {state.LastSeq}");
            if (previous.IsMember(member) && !removed.Contains(member))
            {
                var before = previous.CursorOf(member);
                Assert.True(
                    cursor.DeliveredSeq >= before.DeliveredSeq && cursor.ReadSeq >= before.ReadSeq,
                    $"{member}'s cursor moved back from {before} to {cursor} in [{string.Join(" & ", batch)}]");
            }
        }

        Assert.True(state.LastSeq >= previous.LastSeq, "the last seq moved back");
    }
}
