using System.Collections.Concurrent;
using System.Security.Cryptography;

namespace Messenger.LoadTests.Relay;

/// <summary>In-memory accounts, tokens and conversations of the bare relay.</summary>
public sealed class RelayState
{
    private readonly ConcurrentDictionary<string, RelayUser> _byUsername = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, RelayUser> _byToken = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, RelayUser> _byId = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, RelayConversation> _conversations = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, RelayConversation> _directPairs = new(StringComparer.Ordinal);

    public RelayUser? Register(string username, string password)
    {
        var user = new RelayUser(Guid.NewGuid().ToString("N"), username, password, NewToken());
        if (!_byUsername.TryAdd(username, user))
        {
            return null;
        }

        _byToken[user.Token] = user;
        _byId[user.UserId] = user;
        return user;
    }

    public RelayUser? Login(string username, string password) =>
        _byUsername.TryGetValue(username, out var user) && user.Password == password ? user : null;

    public RelayUser? ByToken(string? token) => token is not null && _byToken.TryGetValue(token, out var user) ? user : null;

    public RelayUser? ById(string userId) => _byId.GetValueOrDefault(userId);

    public RelayConversation? Conversation(string conversationId) => _conversations.GetValueOrDefault(conversationId);

    /// <summary>Returns the conversation and whether it was created now (a direct pair is created once).</summary>
    public (RelayConversation Conversation, bool Created) Create(RelayUser creator, string type, string? title, RelayUser[] others)
    {
        var members = others.Prepend(creator).DistinctBy(u => u.UserId).ToArray();
        if (type != Protocol.ConversationTypes.Direct)
        {
            var group = new RelayConversation(Guid.NewGuid().ToString("N"), type, title, members);
            _conversations[group.ConversationId] = group;
            return (group, true);
        }

        var pairKey = string.Join('|', members.Select(m => m.UserId).Order(StringComparer.Ordinal));
        var candidate = new RelayConversation(Guid.NewGuid().ToString("N"), type, null, members);
        var direct = _directPairs.GetOrAdd(pairKey, candidate);
        if (direct == candidate)
        {
            _conversations[direct.ConversationId] = direct;
        }

        return (direct, direct == candidate);
    }

    private static string NewToken() => Convert.ToHexString(RandomNumberGenerator.GetBytes(24));
}
