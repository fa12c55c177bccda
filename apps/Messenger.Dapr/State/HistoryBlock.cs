using System.Collections.Immutable;
using Messenger.Core.Domain;

namespace Messenger.Dapr.State;

/// <summary>
/// What the <c>cache</c> store holds under <c>conv:{id}:block:{b}</c>: the block's messages from its first seq on,
/// without a gap, as folded when read. <see cref="ChangeSeq"/> is the conversation's last reaction, edit or delete
/// (<see cref="ConversationState.LastChangeSeq"/>) that the fold already held when it was read from the store: once a
/// newer change is stored, the block is stale and read again.
/// </summary>
public sealed record HistoryBlock(ImmutableArray<Message> Messages, long ChangeSeq = 0)
{
    public ImmutableArray<Message> Items => Messages.IsDefault ? [] : Messages;
}
