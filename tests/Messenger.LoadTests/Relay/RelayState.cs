using System.Collections.Concurrent;
using System.Security.Cryptography;

namespace Messenger.LoadTests.Relay;

/// <summary>In-memory accounts, tokens and conversations of the bare relay.</summary>
public sealed class RelayState
{
    private readonly ConcurrentDictionary<string, RelayUser> byUsername = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, RelayUser> byToken = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, RelayUser> byId = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, RelayConversation> conversations = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, RelayConversation> directPairs = new(StringComparer.Ordinal);

    public RelayUser? Register(string username, string password)
    {
        var user = new RelayUser(Guid.NewGuid().ToString("N"), username, password, NewToken());
        if (!byUsername.TryAdd(username, user))
        {
            return null;
        }

        byToken[user.Token] = user;
        byId[user.UserId] = user;
        return user;
    }

    public RelayUser? Login(string username, string password) =>
        byUsername.TryGetValue(username, out var user) && user.Password == password ? user : null;

    public RelayUser? ByToken(string? token) => token is not null && byToken.TryGetValue(token, out var user) ? user : null;

    public RelayUser? ById(string userId) => byId.GetValueOrDefault(userId);

    public RelayConversation? Conversation(string conversationId) => conversations.GetValueOrDefault(conversationId);

    /// <summary>Returns the conversation and whether it was created now (a direct pair is created once).</summary>
    public (RelayConversation Conversation, bool Created) Create(RelayUser creator, string type, string? title, RelayUser[] others)
    {
        var members = others.Prepend(creator).DistinctBy(u => u.UserId).ToArray();
        if (type != Protocol.ConversationTypes.Direct)
        {
            var group = new RelayConversation(Guid.NewGuid().ToString("N"), type, title, members);
            conversations[group.ConversationId] = group;
            return (group, true);
        }

        var pairKey = string.Join('|', members.Select(m => m.UserId).Order(StringComparer.Ordinal));
        var candidate = new RelayConversation(Guid.NewGuid().ToString("N"), type, null, members);
        var direct = directPairs.GetOrAdd(pairKey, candidate);
        if (direct == candidate)
        {
            conversations[direct.ConversationId] = direct;
        }

        return (direct, direct == candidate);
    }

    private static string NewToken() => Convert.ToHexString(RandomNumberGenerator.GetBytes(24));
}
