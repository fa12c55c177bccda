using System.Collections.Immutable;
using Messenger.Core.Domain;
using Messenger.Embedded.Sqlite;

namespace Messenger.Embedded.Tests;

/// <summary>The SQLite stores over one database, and short ways to write conversations through them.</summary>
internal sealed class Stores(SqliteDatabase database)
{
    public static readonly DateTimeOffset Start = new(2025, 1, 2, 3, 4, 5, TimeSpan.Zero);

    public SqliteConversationStateStore States { get; } = new(database);

    public SqliteMessageStore Messages => new(database, States);

    public SqliteUserStore Users { get; } = new(database);

    public async Task<ConversationState> CreateAsync(
        string id, ConversationType type, string creator, string[] members, DateTimeOffset? at = null, string? title = null)
    {
        var when = at ?? Start;
        var state = new ConversationState(id, type, title, creator, when, [.. members], 0, when, ImmutableDictionary<string, Cursor>.Empty);
        await States.SaveCreatedAsync(state, CancellationToken.None);
        return state;
    }

    /// <summary>Appends the next message as the serial owner would: message and new head in one save.</summary>
    public async Task<(ConversationState State, Message Message)> AppendAsync(ConversationState state, string sender, DateTimeOffset? at = null)
    {
        var seq = state.LastSeq + 1;
        var when = at ?? state.LastActivityAt.AddSeconds(1);
        var message = new Message($"m_{state.ConversationId}_{seq}", state.ConversationId, seq, sender, $"k{seq}", $"text {seq}", null, when);
        var next = state with { LastSeq = seq, LastActivityAt = when };
        await States.SaveAppendedAsync(next, message, CancellationToken.None);
        return (next, message);
    }

    public async Task<ConversationState> AppendManyAsync(ConversationState state, string sender, int count)
    {
        for (var i = 0; i < count; i++)
        {
            (state, _) = await AppendAsync(state, sender);
        }

        return state;
    }

    public async Task<ConversationState> SetCursorAsync(ConversationState state, string userId, Cursor cursor)
    {
        var next = state with { Cursors = state.Cursors.SetItem(userId, cursor) };
        await States.SaveCursorAsync(next, userId, CancellationToken.None);
        return next;
    }
}
