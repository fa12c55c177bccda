using Microsoft.AspNetCore.Http;

namespace Messenger.Dapr.Security;

/// <summary>
/// The path prefixes only the Dapr sidecar calls: <c>/dapr/*</c> (subscriptions, actor config), <c>/events/*</c> (the
/// subscription routes) and <c>/actors/*</c> (actor methods, timers, reminders, deactivation; mapped by the Dapr SDK).
/// </summary>
public static class SidecarRoutes
{
    private static readonly PathString[] Prefixes = [new("/dapr"), new("/events"), new("/actors")];

    /// <summary>
    /// Whether <paramref name="path"/> falls under one of the prefixes, compared as routing compares (ignoring case),
    /// and with doubled leading slashes collapsed so that <c>//actors/…</c> cannot slip past.
    /// </summary>
    public static bool IsSidecarOnly(PathString path)
    {
        var value = path.Value ?? string.Empty;
        var start = 0;
        while (start + 1 < value.Length && value[start] == '/' && value[start + 1] == '/')
        {
            start++;
        }

        var normalized = new PathString(value[start..]);
        return Prefixes.Any(prefix => normalized.StartsWithSegments(prefix, StringComparison.OrdinalIgnoreCase));
    }
}
