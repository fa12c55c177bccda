using System.Security.Claims;

namespace Messenger.Hosting;

public static class MessengerClaims
{
    public const string UserId = "sub";
    public const string Username = "name";
    public const string TokenId = "jti";

    /// <summary>The session the token belongs to (<see cref="Core.Domain.Session"/>).</summary>
    public const string SessionId = "sid";

    /// <summary>When the token expires (seconds since 1970, JWT <c>exp</c>).</summary>
    public const string Expires = "exp";

    /// <summary>The claims the apps read from a request's user.</summary>
    private static readonly string[] Read = [UserId, Username, TokenId, SessionId, Expires];

    /// <summary>
    /// A validated token's user as a request keeps it for its life (a WebSocket's for the connection's): only the
    /// claims the apps read, and not the token object with its own copy of every claim, which the validated identity
    /// refers to. An idle connection holds about 4 KB less.
    /// </summary>
    public static ClaimsPrincipal Kept(ClaimsPrincipal validated, string authenticationType) =>
        new(new ClaimsIdentity(
            validated.Claims.Where(c => Read.Contains(c.Type)).Select(c => new Claim(c.Type, c.Value)),
            authenticationType,
            Username,
            roleType: null));
}
