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
}
