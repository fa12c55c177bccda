namespace Messenger.Dapr.State;

/// <summary>Keeps <c>user:{id}:convs</c> (ETag-guarded, since two conversations may add the same user at once).</summary>
public sealed class UserConversationIndex(StateRecords records)
{
    public Task AddAsync(string userId, string conversationId, CancellationToken cancellationToken) =>
        records.UpdateAsync<ConversationIndex>(DaprNames.StateStore, StateKeys.UserConversations(userId), index =>
        {
            var ids = index?.Ids ?? [];
            return ids.Contains(conversationId) ? index : new ConversationIndex(ids.Add(conversationId));
        }, cancellationToken);

    public Task RemoveAsync(string userId, string conversationId, CancellationToken cancellationToken) =>
        records.UpdateAsync<ConversationIndex>(DaprNames.StateStore, StateKeys.UserConversations(userId), index =>
            index is not null && index.Ids.Contains(conversationId) ? new ConversationIndex(index.Ids.Remove(conversationId)) : index,
            cancellationToken);

    public async Task<IReadOnlyList<string>> GetAsync(string userId, CancellationToken cancellationToken) =>
        (await records.GetAsync<ConversationIndex>(DaprNames.StateStore, StateKeys.UserConversations(userId), cancellationToken))?.Ids ?? [];
}
