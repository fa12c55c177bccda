namespace Messenger.Media.Processing.Video;

/// <summary>
/// Random access to a stored video for the container parsers: reads a window around each requested range (the
/// headers that follow are then usually in it) and stops for good once <see cref="ByteBudget"/> bytes or
/// <see cref="FetchBudget"/> fetches are used up, so no input, however crafted, makes it read much.
/// </summary>
internal sealed class RangeReader(Func<long, Memory<byte>, CancellationToken, Task<int>> read, long length)
{
    /// <summary>At most this many bytes are fetched per video: box and element headers, never the media data.</summary>
    public const long ByteBudget = 4 * 1024 * 1024;

    /// <summary>At most this many fetches (requests to blob storage) per video.</summary>
    public const int FetchBudget = 128;

    /// <summary>How much is fetched at once around a requested range.</summary>
    public const int Window = 32 * 1024;

    /// <summary>The longest range one call may ask for.</summary>
    public const int MaxRead = 4096;

    private byte[] cache = [];
    private long cacheStart = -1;
    private int fetches;

    public long Length { get; } = Math.Max(0, length);

    /// <summary>How many bytes were fetched so far.</summary>
    public long BytesFetched { get; private set; }

    /// <summary>
    /// Exactly <paramref name="count"/> bytes at <paramref name="offset"/>; null when they lie (partly) beyond the end,
    /// the store holds fewer bytes than it should, or the budget is spent.
    /// </summary>
    public async Task<byte[]?> ReadAsync(long offset, int count, CancellationToken cancellationToken)
    {
        if (offset < 0 || count is < 0 or > MaxRead || offset > Length - count)
        {
            return null;
        }

        if (cacheStart >= 0 && offset >= cacheStart && offset + count <= cacheStart + cache.Length)
        {
            return cache.AsSpan((int)(offset - cacheStart), count).ToArray();
        }

        var size = (int)Math.Min(Window, Length - offset);
        if (fetches >= FetchBudget || BytesFetched + size > ByteBudget)
        {
            return null;
        }

        fetches++;
        BytesFetched += size;
        var buffer = new byte[size];
        var filled = Math.Max(0, await read(offset, buffer, cancellationToken));
        cache = filled == size ? buffer : buffer[..filled];
        cacheStart = offset;
        return filled < count ? null : buffer[..count];
    }
}
