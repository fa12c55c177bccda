using Messenger.Media.Processing.Video;

namespace Messenger.Media.Tests;

/// <summary>A stored video in memory that counts the bytes the dimension reader asked for.</summary>
internal sealed class CountingSource(byte[] bytes)
{
    public long BytesServed { get; private set; }

    /// <summary>
    /// Damages <paramref name="original"/> at 1 to 5 random places, many times over: the reader never throws, never
    /// reads beyond its budget, and answers either nothing or dimensions in range.
    /// </summary>
    public static async Task AssertSurvivesRandomDamageAsync(byte[] original, string contentType, int seed)
    {
        var random = new Random(seed);
        for (var round = 0; round < 2000; round++)
        {
            var file = original.ToArray();
            for (var changes = random.Next(1, 6); changes > 0; changes--)
            {
                file[random.Next(file.Length)] = (byte)random.Next(256);
            }

            var source = new CountingSource(file);
            var size = await source.MeasureAsync(contentType);

            Assert.True(size is null || (size.Value.Width is > 0 and <= VideoGeometry.MaxDimension && size.Value.Height is > 0 and <= VideoGeometry.MaxDimension));
            Assert.True(source.BytesServed <= RangeReader.ByteBudget);
        }
    }

    public Task<(int Width, int Height)?> MeasureAsync(string contentType) =>
        VideoGeometry.MeasureAsync(contentType, bytes.Length, ReadAsync, default);

    private Task<int> ReadAsync(long offset, Memory<byte> buffer, CancellationToken cancellationToken)
    {
        var read = VideoFiles.Copy(bytes, offset, buffer);
        BytesServed += read;
        return Task.FromResult(read);
    }
}
