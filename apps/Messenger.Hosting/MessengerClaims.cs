namespace Messenger.Hosting;

public static class MessengerClaims
{
    public const string UserId = "sub";
    public const string Username = "name";
    public const string TokenId = "jti";
}
