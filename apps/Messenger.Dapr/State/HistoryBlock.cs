using System.Collections.Immutable;
using Messenger.Core.Domain;

namespace Messenger.Dapr.State;

/// <summary>
/// What the <c>cache</c> store holds under <c>conv:{id}:block:{b}</c>: the block's messages from its first seq on,
/// without a gap. Messages never change once stored, so a cached block is never wrong, only perhaps not yet full.
/// </summary>
public sealed record HistoryBlock(ImmutableArray<Message> Messages)
{
    public ImmutableArray<Message> Items => Messages.IsDefault ? [] : Messages;
}
