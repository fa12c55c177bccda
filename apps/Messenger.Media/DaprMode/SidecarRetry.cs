namespace Messenger.Media.DaprMode;

/// <summary>How start-up work that needs the sidecar waits for it: tries again after 1 s, doubling up to 15 s.</summary>
internal static class SidecarRetry
{
    public static readonly TimeSpan First = TimeSpan.FromSeconds(1);
    public static readonly TimeSpan Longest = TimeSpan.FromSeconds(15);

    public static TimeSpan Next(TimeSpan delay) => delay * 2 > Longest ? Longest : delay * 2;
}
