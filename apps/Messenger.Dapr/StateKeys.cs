using System.Security.Cryptography;
using System.Text;

namespace Messenger.Dapr;

/// <summary>
/// Keys in the <c>statestore</c> and <c>cache</c> components. Ids are system-made (prefix and hex), so a key's
/// segments never hold a separator except in the last one. The stores run with <c>keyPrefix: none</c> so that
/// every app sees the same keys.
/// </summary>
public static class StateKeys
{
    /// <summary>One message; consecutive seqs make a page one bulk read.</summary>
    public static string Message(string conversationId, long seq) => $"conv:{conversationId}:msg:{seq}";

    /// <summary>The clientMessageId dedupe index: holds the seq the sender's message got.</summary>
    public static string ClientMessage(string conversationId, string senderId, string clientMessageId) =>
        $"conv:{conversationId}:client:{senderId}:{clientMessageId}";

    /// <summary>In the <c>cache</c> store: block <paramref name="block"/> of a conversation's history.</summary>
    public static string HistoryBlock(string conversationId, long block) => $"conv:{conversationId}:block:{block}";

    /// <summary>The seqs a user hid from their own history of a conversation ("delete for me").</summary>
    public static string Hidden(string conversationId, string userId) => $"conv:{conversationId}:hidden:{userId}";

    public static string User(string userId) => $"user:{userId}";

    public static string Username(string username) => $"username:{username}";

    /// <summary>The conversations a user is (or was just) a member of.</summary>
    public static string UserConversations(string userId) => $"user:{userId}:convs";

    /// <summary>The users a user blocks.</summary>
    public static string UserBlocks(string userId) => $"user:{userId}:blocks";

    /// <summary>The one direct conversation of an unordered pair.</summary>
    public static string DirectPair(string userA, string userB) =>
        string.CompareOrdinal(userA, userB) < 0 ? $"direct:{userA}:{userB}" : $"direct:{userB}:{userA}";

    /// <summary>A user's connections per gateway and lastSeen.</summary>
    public static string Presence(string userId) => $"presence:{userId}";

    /// <summary>A gateway's lease: its connections count while this lives (written with a TTL).</summary>
    public static string GatewayLease(string gatewayId) => $"gateway:{gatewayId}:lease";

    /// <summary>The gateway instances that have leases (so that a sweep can find the dead ones without a query).</summary>
    public const string Gateways = "gateways";

    /// <summary>One of <see cref="GatewayUserShards"/> shards of the users connected to a gateway.</summary>
    public static string GatewayUsers(string gatewayId, int shard) => $"gateway:{gatewayId}:users:{shard}";

    public const int GatewayUserShards = 16;

    public static int ShardOf(string userId) => (int)(Hash(userId) % GatewayUserShards);

    /// <summary>The metadata of one photo or video (owner, type, size, sha256, dimensions, status, conversations).</summary>
    public static string Media(string mediaId) => $"media:{mediaId}";

    /// <summary>
    /// One of <see cref="MediaIndexShards"/> shards of the media with something pending (an unfinished upload, or a
    /// direct upload's staging blob), each with its pendingUntil: what the sweeper looks at without a query.
    /// </summary>
    public static string MediaPending(int shard) => $"media-pending:{shard}";

    /// <summary>One of <see cref="MediaIndexShards"/> shards of the ready images whose thumbnail is still to be made.</summary>
    public static string MediaAwaitingThumbnail(int shard) => $"media-thumbnails:{shard}";

    public const int MediaIndexShards = 16;

    /// <summary>How many stored messages carry a media (counted on each send, less each delete for everyone).</summary>
    public static string MediaCarriers(string mediaId) => $"media:{mediaId}:carriers";

    /// <summary>The bytes a user's media count against the storage quota (originals or their reservations, and thumbnails).</summary>
    public static string MediaUsage(string userId) => $"media-usage:{userId}";

    public static int MediaShardOf(string mediaId) => (int)(Hash(mediaId) % MediaIndexShards);

    /// <summary>A device by the SHA-256 of its token: a token is up to 4 KiB of any printable ASCII.</summary>
    public static string Device(string token) => DeviceByHash(TokenHash(token));

    public static string DeviceByHash(string tokenHash) => $"device:{tokenHash}";

    /// <summary>The token hashes of a user's devices.</summary>
    public static string UserDevices(string userId) => $"user:{userId}:devices";

    /// <summary>A session: its user, current token and expiries (written with a TTL that ends when it stops being live).</summary>
    public static string Session(string sessionId) => $"session:{sessionId}";

    public static string TokenHash(string token) => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(token)));

    /// <summary>A hash that is the same in every process and every run (unlike string.GetHashCode).</summary>
    private static uint Hash(string id)
    {
        var hash = 17u;
        foreach (var c in id)
        {
            hash = unchecked((hash * 31) + c);
        }

        return hash;
    }
}
