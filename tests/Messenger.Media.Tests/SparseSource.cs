namespace Messenger.Media.Tests;

/// <summary>
/// A large stored video without the memory: <paramref name="head"/>, then zeros up to <paramref name="tailAt"/>, then
/// <paramref name="tail"/>. Counts the bytes read from it.
/// </summary>
internal sealed class SparseSource(byte[] head, long tailAt, byte[] tail)
{
    public long Length => tailAt + tail.Length;

    public long BytesServed { get; private set; }

    public Task<int> ReadAsync(long offset, Memory<byte> buffer, CancellationToken cancellationToken)
    {
        var count = (int)Math.Clamp(Length - offset, 0, buffer.Length);
        var span = buffer.Span[..count];
        for (var i = 0; i < count; i++)
        {
            var at = offset + i;
            span[i] = at < head.Length ? head[at] : at >= tailAt ? tail[at - tailAt] : (byte)0;
        }

        BytesServed += count;
        return Task.FromResult(count);
    }
}
