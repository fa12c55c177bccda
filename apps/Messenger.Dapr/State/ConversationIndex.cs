using System.Collections.Immutable;

namespace Messenger.Dapr.State;

/// <summary>What <c>user:{id}:convs</c> holds. The conversations' actors are the truth: readers skip an id whose
/// conversation does not (or no longer) count the user as a member.</summary>
public sealed record ConversationIndex(ImmutableArray<string> ConversationIds)
{
    public ImmutableArray<string> Ids => ConversationIds.IsDefault ? [] : ConversationIds;
}
