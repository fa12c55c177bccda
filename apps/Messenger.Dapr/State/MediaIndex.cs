using System.Collections.Immutable;

namespace Messenger.Dapr.State;

/// <summary>
/// What <c>media-pending:{shard}</c> and <c>media-thumbnails:{shard}</c> hold (ETag-guarded). The media record is the
/// truth: an entry may outlive what it stands for (a crash between the two writes), and readers check the record.
/// </summary>
public sealed record MediaIndex(ImmutableArray<MediaIndexEntry> Entries)
{
    public ImmutableArray<MediaIndexEntry> Items => Entries.IsDefault ? [] : Entries;
}
