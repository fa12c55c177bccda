namespace Messenger.Media;

/// <summary>
/// How start-up work that needs a store which may not answer yet (under Dapr: until the sidecar is up) waits for it:
/// it tries again after 1 s, doubling up to 15 s.
/// </summary>
public static class StartupRetry
{
    public static readonly TimeSpan First = TimeSpan.FromSeconds(1);
    public static readonly TimeSpan Longest = TimeSpan.FromSeconds(15);

    public static TimeSpan Next(TimeSpan delay) => delay * 2 > Longest ? Longest : delay * 2;
}
