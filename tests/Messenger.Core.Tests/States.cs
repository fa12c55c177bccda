using System.Collections.Immutable;
using Messenger.Core.Domain;

namespace Messenger.Core.Tests;

/// <summary>Conversation states to start tests from.</summary>
internal static class States
{
    public static readonly DateTimeOffset Created = new(2025, 1, 2, 3, 4, 5, TimeSpan.Zero);

    public static ConversationState Group(string id, string creator, IEnumerable<string> members, long lastSeq = 0) =>
        new(id, ConversationType.Group, "team", creator, Created, [.. members], lastSeq, Created, ImmutableDictionary<string, Cursor>.Empty);

    public static ConversationState Direct(string id, string a, string b, long lastSeq = 0) =>
        new(id, ConversationType.Direct, null, a, Created, [a, b], lastSeq, Created, ImmutableDictionary<string, Cursor>.Empty);
}
