namespace Messenger.Media.Processing;

/// <summary>An image with more pixels than may be decoded; it is kept but gets no thumbnail.</summary>
public sealed class ImageTooLargeException(int width, int height, Exception? inner = null)
    : Exception($"The image has {width}x{height} pixels, more than may be decoded.", inner)
{
    public int Width { get; } = width;

    public int Height { get; } = height;
}
