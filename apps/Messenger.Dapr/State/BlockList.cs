using System.Collections.Immutable;

namespace Messenger.Dapr.State;

/// <summary>What <c>user:{id}:blocks</c> holds: the users this user blocks, the earliest blocked first.</summary>
public sealed record BlockList(ImmutableArray<string> BlockedIds)
{
    public ImmutableArray<string> Ids => BlockedIds.IsDefault ? [] : BlockedIds;
}
