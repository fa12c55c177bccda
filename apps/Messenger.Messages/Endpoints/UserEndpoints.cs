using System.Security.Claims;
using Messenger.Core.Services;
using Messenger.Hosting;
using Messenger.Messages.Contracts;

namespace Messenger.Messages.Endpoints;

public static class UserEndpoints
{
    public static IEndpointRouteBuilder MapUserEndpoints(this IEndpointRouteBuilder app)
    {
        app.MapGet("/api/users/{username}", GetAsync).WithTags("Users").RequireAuthorization();
        app.MapGet("/api/users", GetManyAsync).WithTags("Users").RequireAuthorization();
        return app;
    }

    /// <summary><c>?ids=u_1,u_2</c>: the profiles of the caller and of people who share a conversation with the caller.</summary>
    private static async Task<IResult> GetManyAsync(string? ids, ClaimsPrincipal principal, AccountService accounts, CancellationToken cancellationToken)
    {
        var wanted = (ids ?? string.Empty).Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        var profiles = await accounts.GetProfilesAsync(principal.GetUserId(), wanted, cancellationToken);
        return TypedResults.Ok(profiles.Select(p => new UserResponse(p.User.UserId, p.User.Username, p.User.DisplayName, p.Presence.Online, p.Presence.LastSeen)).ToList());
    }

    private static async Task<IResult> GetAsync(string username, AccountService accounts, CancellationToken cancellationToken)
    {
        var (user, presence) = await accounts.GetProfileAsync(Validate.Username(username), cancellationToken);
        return TypedResults.Ok(new UserResponse(user.UserId, user.Username, user.DisplayName, presence.Online, presence.LastSeen));
    }
}
