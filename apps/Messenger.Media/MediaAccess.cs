using Messenger.Core.Domain;
using Messenger.Core.Errors;
using Messenger.Core.Ports;

namespace Messenger.Media;

/// <summary>
/// Who may download media: its uploader, and the current members of a conversation in which a message carried it.
/// Everyone else is told it does not exist (404), so that media ids reveal nothing.
/// </summary>
public sealed class MediaAccess(IMediaStore store, IConversationOwner conversations)
{
    public async Task<MediaRecord> GetReadableAsync(string userId, string mediaId, CancellationToken cancellationToken)
    {
        var record = Ids.IsWellFormed(mediaId) ? await store.GetAsync(mediaId, cancellationToken) : null;
        if (record is { Status: MediaStatus.Ready } && await MayReadAsync(userId, record, cancellationToken))
        {
            return record;
        }

        throw ChatException.NotFound("Media not found.");
    }

    private async Task<bool> MayReadAsync(string userId, MediaRecord record, CancellationToken cancellationToken)
    {
        if (record.OwnerId == userId)
        {
            return true;
        }

        foreach (var conversationId in record.ConversationIds)
        {
            var conversation = await conversations.GetAsync(conversationId, cancellationToken);
            if (conversation is not null && conversation.IsMember(userId))
            {
                return true;
            }
        }

        return false;
    }
}
