namespace Messenger.Sidecar;

/// <summary>
/// The shape of a state key for per-kind counts: segments between ':' that are plain lowercase words stay, every
/// other segment (ids, numbers) becomes '*', so <c>presence:u_1a2b</c> counts as <c>presence:*</c> and
/// <c>conv:c_9:msg:42</c> as <c>conv:*:msg:*</c>.
/// </summary>
public static class KeyKind
{
    public static string Of(string key)
    {
        var segments = key.Split(':');
        for (var i = 0; i < segments.Length; i++)
        {
            if (segments[i].Length == 0 || !segments[i].All(char.IsAsciiLetterLower))
            {
                segments[i] = "*";
            }
        }

        return string.Join(':', segments);
    }
}
