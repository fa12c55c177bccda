using Messenger.Core.Domain;

namespace Messenger.Core.Ports;

/// <summary>The read side of conversations and messages, plus the one-per-pair index of direct conversations.</summary>
public interface IMessageStore
{
    Task<IReadOnlyList<Message>> GetMessagesAsync(string conversationId, HistoryQuery query, CancellationToken cancellationToken);

    /// <summary>
    /// The messages with <paramref name="fromSeq"/> ≤ seq ≤ <paramref name="toSeq"/>, in seq order, where the caller
    /// knows every seq of the range to be stored (it is below a stored one): no check against the conversation's head.
    /// </summary>
    Task<IReadOnlyList<Message>> GetRangeAsync(string conversationId, long fromSeq, long toSeq, CancellationToken cancellationToken);

    /// <summary>The seqs <paramref name="userId"/> hid from their own history of the conversation ("delete for me").</summary>
    Task<IReadOnlySet<long>> GetHiddenAsync(string conversationId, string userId, CancellationToken cancellationToken);

    Task<IReadOnlyList<ConversationSummary>> ListConversationsAsync(string userId, CancellationToken cancellationToken);

    /// <summary>One conversation as <paramref name="userId"/>'s list shows it; null when it is not one of theirs.</summary>
    Task<ConversationSummary?> GetSummaryAsync(string conversationId, string userId, CancellationToken cancellationToken);

    Task<IReadOnlyList<string>> GetConversationIdsAsync(string userId, CancellationToken cancellationToken);

    /// <summary>Everyone who shares at least one conversation with <paramref name="userId"/>, not the user.</summary>
    Task<IReadOnlyList<string>> GetContactIdsAsync(string userId, CancellationToken cancellationToken);

    /// <summary>The direct conversation claimed for the unordered pair, or null.</summary>
    Task<string?> FindDirectPairAsync(string userA, string userB, CancellationToken cancellationToken);

    /// <summary>Claims <paramref name="conversationId"/> for the unordered pair; returns the id that holds it now.</summary>
    Task<string> ClaimDirectPairAsync(string userA, string userB, string conversationId, CancellationToken cancellationToken);
}
