namespace Messenger.Media.Processing.Video;

/// <summary>
/// A video's display dimensions read from its container in managed code (no decoder): MP4 and QuickTime from the
/// <c>moov</c> box wherever it is in the file, WebM from the Tracks element. Only headers are read, through
/// <see cref="RangeReader"/>'s budget; anything malformed, hostile or absurd (a side over <see cref="MaxDimension"/>)
/// is unknown.
/// </summary>
public static class VideoGeometry
{
    /// <summary>Larger sides than this are taken for a broken or hostile file, not measured.</summary>
    public const int MaxDimension = 16384;

    /// <summary>
    /// The dimensions of the video of <paramref name="contentType"/> that is <paramref name="length"/> bytes long and
    /// read through <paramref name="read"/> (fills a buffer from an offset, as <c>IBlobStore.ReadAsync</c> does:
    /// fewer bytes only where the file ends); null when they cannot be told. Only errors of <paramref name="read"/> itself (storage unavailable,
    /// cancellation) come out.
    /// </summary>
    public static async Task<(int Width, int Height)?> MeasureAsync(
        string contentType, long length, Func<long, Memory<byte>, CancellationToken, Task<int>> read, CancellationToken cancellationToken)
    {
        var type = MediaType.Find(contentType);
        if (type is null || type.Kind != MediaKind.Video || length <= 0)
        {
            return null;
        }

        var reader = new RangeReader(read, length);
        try
        {
            return type == MediaType.Webm
                ? await MatroskaGeometry.MeasureAsync(reader, cancellationToken)
                : await IsoMediaGeometry.MeasureAsync(reader, cancellationToken);
        }
        catch (Exception e) when (e is ArgumentException or OverflowException or IndexOutOfRangeException or InvalidCastException)
        {
            // A parser slip on crafted input: the dimensions stay unknown rather than failing the upload's processing.
            return null;
        }
    }
}
