using System.Security.Claims;
using Messenger.Core.Services;
using Messenger.Hosting;
using Messenger.Messages.Contracts;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Messenger.Messages.Endpoints;

public static class UserEndpoints
{
    public static IEndpointRouteBuilder MapUserEndpoints(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/api/users").WithTags("Users").RequireAuthorization();
        group.MapGet("/{username}", GetAsync);
        group.MapGet("", GetManyAsync);
        return app;
    }

    /// <summary><c>?ids=u_1,u_2</c>: the profiles of the caller and of people who share a conversation with the caller.</summary>
    private static async Task<Ok<List<UserResponse>>> GetManyAsync(string? ids, ClaimsPrincipal principal, AccountService accounts, CancellationToken cancellationToken)
    {
        var wanted = (ids ?? string.Empty).Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        var profiles = await accounts.GetProfilesAsync(principal.GetUserId(), wanted, cancellationToken);
        return TypedResults.Ok(profiles.Select(p => new UserResponse(p.User.UserId, p.User.Username, p.User.DisplayName, p.Presence.Online, p.Presence.LastSeen)).ToList());
    }

    private static async Task<Ok<UserResponse>> GetAsync(string username, AccountService accounts, CancellationToken cancellationToken)
    {
        var (user, presence) = await accounts.GetProfileAsync(Validate.Username(username), cancellationToken);
        return TypedResults.Ok(new UserResponse(user.UserId, user.Username, user.DisplayName, presence.Online, presence.LastSeen));
    }
}
