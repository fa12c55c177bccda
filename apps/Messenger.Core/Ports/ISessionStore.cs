using Messenger.Core.Domain;

namespace Messenger.Core.Ports;

/// <summary>
/// The sessions behind the bearer tokens: every token names its session, and a token is good only while its session
/// is stored, lives and names that token as its current one. A store may forget a session once it is no longer live.
/// </summary>
public interface ISessionStore
{
    Task CreateAsync(Session session, CancellationToken cancellationToken);

    /// <summary>The session as stored, or null when there is none (ended, or forgotten after it expired).</summary>
    Task<Session?> GetAsync(string sessionId, CancellationToken cancellationToken);

    /// <summary>Those of <paramref name="sessionIds"/> that are stored, in one read.</summary>
    Task<IReadOnlyList<Session>> GetManyAsync(IReadOnlyCollection<string> sessionIds, CancellationToken cancellationToken);

    /// <summary>
    /// Makes <paramref name="nextTokenId"/> the session's token in place of <paramref name="currentTokenId"/>, in one
    /// step: the session as it is now, or null (and nothing changed) when there is no such session or its token is no
    /// longer <paramref name="currentTokenId"/> (another refresh won). The caller checks that the session lives.
    /// </summary>
    Task<Session?> RotateAsync(
        string sessionId, string currentTokenId, string nextTokenId, DateTimeOffset nextTokenExpiresAt, CancellationToken cancellationToken);

    /// <summary>Removes the session (logout); the session that was removed, or null when there was none.</summary>
    Task<Session?> EndAsync(string sessionId, CancellationToken cancellationToken);
}
