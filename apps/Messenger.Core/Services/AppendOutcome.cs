using System.Collections.Immutable;
using Messenger.Core.Domain;

namespace Messenger.Core.Services;

/// <summary>
/// The stored message (<see cref="Duplicate"/> when the clientMessageId had been stored before) and what its fan-out
/// needs of the conversation, so that nobody asks the owner for it again. For a reaction, edit or delete,
/// <see cref="Target"/> is the message it changed as folded (not for a duplicate).
/// </summary>
public sealed record AppendOutcome(Message Message, bool Duplicate, ImmutableArray<string> MemberIds, ConversationType Type, string? Title)
{
    public Message? Target { get; init; }

    /// <summary>A delete that took media off its target (not for a duplicate): the media id no longer carried by it.</summary>
    public string? ReleasedMedia { get; init; }
}
