using System.Collections.Immutable;

namespace Messenger.Dapr.State;

/// <summary>What <c>conv:{id}:hidden:{userId}</c> holds: the seqs the user hid from their own history.</summary>
public sealed record HiddenSeqs(ImmutableArray<long> Seqs)
{
    public ImmutableArray<long> Items => Seqs.IsDefault ? [] : Seqs;
}
