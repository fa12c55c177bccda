using Messenger.Core.Domain;
using Messenger.Core.Errors;

namespace Messenger.Core.Services;

/// <summary>
/// The rules of a reaction, edit or delete and what each makes of its target: the owner checks them against the
/// target as stored and stores the event and the folded target together.
/// </summary>
public static class MessageFold
{
    /// <summary>
    /// The target as it is after <paramref name="change"/>, or a <see cref="ChatException"/> when the change is not
    /// allowed (<paramref name="target"/> is a live message: see <see cref="RequireTarget"/>).
    /// </summary>
    public static Message Apply(Message target, Message change, TimeSpan editWindow) => change.Kind switch
    {
        MessageKind.Reaction => React(target, change.SenderId, change.Emoji),
        MessageKind.Edit => Edit(target, change, editWindow),
        MessageKind.Delete => Delete(target, change.SenderId),
        _ => throw ChatException.BadRequest("A message changes no other message."),
    };

    /// <summary>
    /// What a reaction, edit, delete or reply may target: a message that is stored and not deleted (else not_found);
    /// never another change (bad_request).
    /// </summary>
    public static Message RequireTarget(Message? target)
    {
        if (target is null || target.Deleted)
        {
            throw ChatException.NotFound("Message not found.");
        }

        return target.IsMessage ? target : throw ChatException.BadRequest("A reaction, edit, delete or reply targets a message, not a change of one.");
    }

    /// <summary>Erases everything a deleted message said: what is left is a tombstone.</summary>
    public static Message Erase(Message target) =>
        target with
        {
            Text = null, Media = null, ReplyTo = null, ReplyPreview = null, Reactions = Message.NoReactions, EditedAt = null, Deleted = true,
        };

    private static Message React(Message target, string userId, string? emoji)
    {
        var reactions = Message.NoReactions;
        foreach (var (key, users) in target.Reactions ?? Message.NoReactions)
        {
            var kept = users.Remove(userId);
            if (!kept.IsEmpty)
            {
                reactions = reactions.Add(key, kept);
            }
        }

        if (emoji is not null)
        {
            reactions = reactions.SetItem(emoji, reactions.TryGetValue(emoji, out var users) ? users.Add(userId) : [userId]);
        }

        return target with { Reactions = reactions };
    }

    private static Message Edit(Message target, Message change, TimeSpan editWindow)
    {
        if (target.SenderId != change.SenderId)
        {
            throw ChatException.Forbidden("Only its sender may edit a message.");
        }

        if (target.Text is null)
        {
            throw ChatException.Forbidden("Only a message with text (or a caption) can be edited.");
        }

        if (change.SentAt - target.SentAt > editWindow)
        {
            throw ChatException.EditWindowPassed($"A message can be edited for {editWindow.TotalMinutes:0.##} minutes after it was sent.");
        }

        return target with { Text = change.Text, EditedAt = change.SentAt };
    }

    private static Message Delete(Message target, string userId) =>
        target.SenderId == userId ? Erase(target) : throw ChatException.Forbidden("Only its sender may delete a message for everyone.");
}
