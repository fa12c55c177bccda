using System.Security.Claims;

namespace Messenger.Hosting;

public static class ClaimsPrincipalExtensions
{
    /// <summary>The authenticated user's id (the token's <c>sub</c>); endpoints that call it require authorization.</summary>
    public static string GetUserId(this ClaimsPrincipal user) =>
        user.FindFirstValue(MessengerClaims.UserId)
        ?? throw new InvalidOperationException("The request is not authenticated.");
}
