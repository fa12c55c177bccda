using Messenger.Core.Domain;
using Messenger.Core.Errors;
using Messenger.Core.Ports;

namespace Messenger.Core.Services;

/// <summary>
/// Blocking: the block list says who blocks whom (checked when a direct conversation is started and when someone is
/// added to a group); the direct conversation of the pair, if there is one, carries a flag that its serial owner
/// checks on every send, so that a send costs no lookup of the list.
/// </summary>
public sealed class BlockService(IBlockStore blocks, IUserStore users, IMessageStore messages, IConversationOwner owner)
{
    /// <summary>Blocks <paramref name="targetId"/> (again: nothing changes).</summary>
    public async Task BlockAsync(string userId, string targetId, CancellationToken cancellationToken)
    {
        await RequireOtherUserAsync(userId, targetId, cancellationToken);
        await blocks.AddAsync(userId, targetId, cancellationToken);
        await SetFlagAsync(userId, targetId, blocks: true, cancellationToken);
    }

    /// <summary>Stops blocking <paramref name="targetId"/> (not blocked: nothing changes).</summary>
    public async Task UnblockAsync(string userId, string targetId, CancellationToken cancellationToken)
    {
        await RequireOtherUserAsync(userId, targetId, cancellationToken);
        await blocks.RemoveAsync(userId, targetId, cancellationToken);
        await SetFlagAsync(userId, targetId, blocks: false, cancellationToken);
    }

    /// <summary>The users <paramref name="userId"/> blocks, the earliest blocked first.</summary>
    public async Task<IReadOnlyList<User>> ListAsync(string userId, CancellationToken cancellationToken)
    {
        var ids = await blocks.ListAsync(userId, cancellationToken);
        if (ids.Count == 0)
        {
            return [];
        }

        var found = (await users.GetManyAsync(ids, cancellationToken)).ToDictionary(u => u.UserId, StringComparer.Ordinal);
        return ids.Where(found.ContainsKey).Select(id => found[id]).ToList();
    }

    /// <summary>
    /// Sets the flag on the pair's direct conversation, through its owner so that it is ordered with the messages. The
    /// list is written first: a conversation claimed but not yet created gets its flag from the list when it is.
    /// </summary>
    private async Task SetFlagAsync(string userId, string targetId, bool blocks, CancellationToken cancellationToken)
    {
        var conversationId = await messages.FindDirectPairAsync(userId, targetId, cancellationToken);
        if (conversationId is null)
        {
            return;
        }

        try
        {
            await owner.SetBlockAsync(conversationId, new BlockChange(userId, blocks), cancellationToken);
        }
        catch (ChatException e) when (e.Code == ErrorCodes.NotFound)
        {
            // Claimed, not created yet: its creation reads the list after it exists.
        }
    }

    private async Task RequireOtherUserAsync(string userId, string targetId, CancellationToken cancellationToken)
    {
        Validate.Id(targetId, "userId");
        if (targetId == userId)
        {
            throw ChatException.BadRequest("You cannot block yourself.");
        }

        if (await users.GetAsync(targetId, cancellationToken) is null)
        {
            throw ChatException.NotFound("No such user.");
        }
    }
}
