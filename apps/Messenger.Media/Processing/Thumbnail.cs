namespace Messenger.Media.Processing;

/// <summary>A thumbnail ready to store, and the shown dimensions of the image it was made from.</summary>
public sealed record Thumbnail(byte[] Content, string ContentType, int ImageWidth, int ImageHeight);
