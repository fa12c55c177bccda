using Messenger.Core.Ports;
using Microsoft.Extensions.Logging;

namespace Messenger.Core.Services;

/// <summary>
/// Reactions, edits and deletes of messages, over HTTP and WebSocket alike. Each is an event of the conversation with
/// the next seq, stored once per clientMessageId through the serial owner like a send (the caller answers, then hands
/// the outcome to <see cref="ChatService.FanOutAsync"/>); and "delete for me", which changes one user's view only.
/// </summary>
public sealed partial class MessageChangeService(IConversationOwner owner, IMediaCatalog media, ILogger<MessageChangeService> logger)
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

    /// <summary>
    /// Deletes the message for everyone: its text, media reference and reactions are erased from storage. Then its
    /// media (if any) is released: once no other message carries it, nobody may fetch it and the sweeper deletes it.
    /// </summary>
    public async Task<AppendOutcome> DeleteAsync(
        string userId, string conversationId, string? clientMessageId, long? targetSeq, CancellationToken cancellationToken)
    {
        var (clientId, target) = Common(conversationId, clientMessageId, targetSeq);
        var outcome = await owner.AppendAsync(conversationId, MessageDraft.Delete(userId, clientId, target), cancellationToken);
        if (outcome.ReleasedMedia is { } mediaId)
        {
            try
            {
                await media.ReleaseAsync(mediaId, outcome.Message.SentAt, cancellationToken);
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                // The delete is stored: it is not failed for this. The media is kept (as if another message carried it).
                ReleaseFailed(logger, e, mediaId, conversationId);
            }
        }

        return outcome;
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

    [LoggerMessage(Level = LogLevel.Error, Message = "Releasing media {MediaId} of a message deleted in {ConversationId} failed; the media is kept")]
    private static partial void ReleaseFailed(ILogger logger, Exception exception, string mediaId, string conversationId);
}
