namespace Messenger.Media.Tests.Infrastructure;

/// <summary>How long a media test waits for work the app does in the background (thumbnails, sweeps, blob clean-up).</summary>
internal static class MediaWait
{
    public static readonly TimeSpan Background = TimeSpan.FromSeconds(15);
}
