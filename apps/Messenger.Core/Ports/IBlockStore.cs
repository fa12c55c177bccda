namespace Messenger.Core.Ports;

/// <summary>
/// Who blocks whom: the list behind <c>GET /api/users/blocked</c> and the checks on starting a direct conversation
/// and adding to a group. A send is not checked here: the direct conversation carries its own block flag, kept by
/// its serial owner.
/// </summary>
public interface IBlockStore
{
    /// <summary>Records that <paramref name="blockerId"/> blocks <paramref name="blockedId"/>; false when it already did.</summary>
    Task<bool> AddAsync(string blockerId, string blockedId, CancellationToken cancellationToken);

    /// <summary>Forgets the block; false when there was none.</summary>
    Task<bool> RemoveAsync(string blockerId, string blockedId, CancellationToken cancellationToken);

    /// <summary>Those of <paramref name="candidateIds"/> who block <paramref name="blockedId"/>.</summary>
    Task<IReadOnlyList<string>> FindBlockersAsync(IReadOnlyCollection<string> candidateIds, string blockedId, CancellationToken cancellationToken);

    /// <summary>The users <paramref name="blockerId"/> blocks, the earliest blocked first.</summary>
    Task<IReadOnlyList<string>> ListAsync(string blockerId, CancellationToken cancellationToken);
}
