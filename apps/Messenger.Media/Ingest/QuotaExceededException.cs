namespace Messenger.Media.Ingest;

/// <summary>The upload would take its owner past the storage quota (answered 403 with code <c>quota_exceeded</c>).</summary>
public sealed class QuotaExceededException(long quota)
    : Exception($"The upload would pass your storage quota of {quota} bytes; delete or send media, or wait for unsent media to be swept.")
{
    public long Quota { get; } = quota;
}
