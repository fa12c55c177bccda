using Messenger.Core.Ports;

namespace Messenger.Core.Services;

/// <summary>
/// Reactions, edits and deletes of messages, over HTTP and WebSocket alike. Each is an event of the conversation with
/// the next seq, stored once per clientMessageId through the serial owner like a send (the caller answers, then hands
/// the outcome to <see cref="ChatService.FanOutAsync"/>); and "delete for me", which changes one user's view only.
/// </summary>
public sealed class MessageChangeService(IConversationOwner owner)
{
    public Task<AppendOutcome> ReactAsync(
        string userId, string conversationId, string? clientMessageId, long? targetSeq, string? emoji, CancellationToken cancellationToken)
    {
        var (clientId, target) = Common(conversationId, clientMessageId, targetSeq);
        return owner.AppendAsync(conversationId, MessageDraft.Reaction(userId, clientId, target, Validate.Emoji(emoji)), cancellationToken);
    }

    public Task<AppendOutcome> EditAsync(
        string userId, string conversationId, string? clientMessageId, long? targetSeq, string? text, CancellationToken cancellationToken)
    {
        var (clientId, target) = Common(conversationId, clientMessageId, targetSeq);
        return owner.AppendAsync(conversationId, MessageDraft.Edit(userId, clientId, target, Validate.EditText(text)), cancellationToken);
    }

    /// <summary>Deletes the message for everyone: its text, media reference and reactions are erased from storage.</summary>
    public Task<AppendOutcome> DeleteAsync(
        string userId, string conversationId, string? clientMessageId, long? targetSeq, CancellationToken cancellationToken)
    {
        var (clientId, target) = Common(conversationId, clientMessageId, targetSeq);
        return owner.AppendAsync(conversationId, MessageDraft.Delete(userId, clientId, target), cancellationToken);
    }

    public Task HideAsync(string userId, string conversationId, long? seq, CancellationToken cancellationToken)
    {
        Validate.Id(conversationId, "conversationId");
        return owner.HideAsync(conversationId, userId, Validate.TargetSeq(seq, "seq"), cancellationToken);
    }

    private static (string ClientMessageId, long TargetSeq) Common(string conversationId, string? clientMessageId, long? targetSeq)
    {
        Validate.Id(conversationId, "conversationId");
        return (Validate.ClientMessageId(clientMessageId), Validate.TargetSeq(targetSeq, "targetSeq"));
    }
}
