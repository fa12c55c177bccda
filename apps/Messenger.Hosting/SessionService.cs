using System.Security.Claims;
using Messenger.Core.Domain;
using Messenger.Core.Errors;
using Messenger.Core.Ports;
using Microsoft.Extensions.Options;

namespace Messenger.Hosting;

/// <summary>
/// Sessions and their tokens: a sign-in starts a session with one token; a refresh rotates it (the new token replaces
/// the old one, which stops working at once) without carrying the session past its absolute age
/// (<see cref="AuthOptions.SessionMaxAge"/>); logout ends the session and with it every token it had.
/// </summary>
public sealed class SessionService(ISessionStore sessions, TokenIssuer tokens, IOptions<AuthOptions> options, TimeProvider time)
{
    /// <summary>A new session of <paramref name="user"/>; its first token.</summary>
    public async Task<string> StartAsync(User user, CancellationToken cancellationToken)
    {
        var settings = options.Value;
        var now = time.GetUtcNow();
        var expiresAt = now + settings.SessionMaxAge;
        var session = new Session(Ids.New("s_"), user.UserId, Ids.New("t_"), Earliest(now + settings.TokenLifetime, expiresAt), expiresAt);
        await sessions.CreateAsync(session, cancellationToken);
        return tokens.Issue(user, session);
    }

    /// <summary>
    /// A new token for the session of the token <paramref name="principal"/> carries (a token of <paramref name="user"/>),
    /// which stops working now. Only the session's current token can be refreshed, and only once: a second refresh
    /// with it is 401.
    /// </summary>
    public async Task<string> RefreshAsync(ClaimsPrincipal principal, User user, CancellationToken cancellationToken)
    {
        var (sessionId, tokenId) = ClaimsOf(principal);
        var now = time.GetUtcNow();
        var session = await sessions.GetAsync(sessionId, cancellationToken);
        if (session is null || !session.Accepts(tokenId, now) || session.UserId != user.UserId)
        {
            throw ChatException.Unauthorized("The session has ended.");
        }

        var next = Earliest(now + options.Value.TokenLifetime, session.ExpiresAt);
        var rotated = await sessions.RotateAsync(sessionId, tokenId, Ids.New("t_"), next, cancellationToken)
            ?? throw ChatException.Unauthorized("The token was refreshed already.");
        return tokens.Issue(user, rotated);
    }

    /// <summary>Ends the session of the token <paramref name="principal"/> carries; the session that ended, or null if it had already.</summary>
    public Task<Session?> EndAsync(ClaimsPrincipal principal, CancellationToken cancellationToken) =>
        sessions.EndAsync(ClaimsOf(principal).SessionId, cancellationToken);

    /// <summary>Whether the token (its claims) is the current token of a live session of its user.</summary>
    public async Task<bool> AcceptsAsync(ClaimsPrincipal principal, CancellationToken cancellationToken)
    {
        var sessionId = principal.FindFirstValue(MessengerClaims.SessionId);
        var tokenId = principal.FindFirstValue(MessengerClaims.TokenId);
        var userId = principal.FindFirstValue(MessengerClaims.UserId);
        if (sessionId is null || tokenId is null || userId is null)
        {
            return false;
        }

        var session = await sessions.GetAsync(sessionId, cancellationToken);
        return session is not null && session.UserId == userId && session.Accepts(tokenId, time.GetUtcNow());
    }

    private static (string SessionId, string TokenId) ClaimsOf(ClaimsPrincipal principal) =>
        (principal.FindFirstValue(MessengerClaims.SessionId) ?? throw ChatException.Unauthorized("The token names no session."),
         principal.FindFirstValue(MessengerClaims.TokenId) ?? throw ChatException.Unauthorized("The token has no id."));

    private static DateTimeOffset Earliest(DateTimeOffset a, DateTimeOffset b) => a < b ? a : b;
}
