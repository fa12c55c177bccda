namespace Messenger.Core.Domain;

/// <summary>
/// One sign-in of a user: it starts at login or registration and holds the one token that is good for it now
/// (<see cref="TokenId"/>). A refresh swaps that token for a new one; logout removes the session. It lives until its
/// current token expires without a refresh (<see cref="TokenExpiresAt"/>), and never past <see cref="ExpiresAt"/>,
/// its absolute age, whatever the refreshes.
/// </summary>
public sealed record Session(
    string SessionId,
    string UserId,
    string TokenId,
    DateTimeOffset TokenExpiresAt,
    DateTimeOffset ExpiresAt)
{
    /// <summary>When the session ends unless its token is refreshed first (never past <see cref="ExpiresAt"/>).</summary>
    public DateTimeOffset LiveUntil => TokenExpiresAt < ExpiresAt ? TokenExpiresAt : ExpiresAt;

    public bool IsLiveAt(DateTimeOffset now) => now < LiveUntil;

    /// <summary>The session lives and <paramref name="tokenId"/> is its current token (not one a refresh replaced).</summary>
    public bool Accepts(string tokenId, DateTimeOffset now) => IsLiveAt(now) && string.Equals(tokenId, TokenId, StringComparison.Ordinal);
}
