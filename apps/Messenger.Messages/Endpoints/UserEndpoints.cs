using System.Security.Claims;
using Messenger.Core.Services;
using Messenger.Hosting;
using Messenger.Hosting.RateLimits;
using Messenger.Messages.Contracts;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Messenger.Messages.Endpoints;

public static class UserEndpoints
{
    public static IEndpointRouteBuilder MapUserEndpoints(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/api/users").WithTags("Users").RequireAuthorization();

        // Two segments, so no username (one segment) can be shadowed by it.
        group.MapGet("/me/blocked", ListBlockedAsync);
        group.MapGet("/{username}", GetAsync);
        group.MapGet("", GetManyAsync);
        group.MapPost("/{userId}/block", BlockAsync).RateLimited(RateLimitKind.Conversations);
        group.MapDelete("/{userId}/block", UnblockAsync).RateLimited(RateLimitKind.Conversations);
        return app;
    }

    /// <summary><c>?ids=u_1,u_2</c>: the profiles of the caller and of people who share a conversation with the caller.</summary>
    private static async Task<Ok<List<UserResponse>>> GetManyAsync(string? ids, ClaimsPrincipal principal, AccountService accounts, CancellationToken cancellationToken)
    {
        var wanted = (ids ?? string.Empty).Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        var profiles = await accounts.GetProfilesAsync(principal.GetUserId(), wanted, cancellationToken);
        return TypedResults.Ok(profiles.Select(p => new UserResponse(p.User.UserId, p.User.Username, p.User.DisplayName, p.Presence.Online, p.Presence.LastSeen)).ToList());
    }

    /// <summary>Anyone by username; presence and last seen only for the caller's contacts (null otherwise).</summary>
    private static async Task<Ok<UserResponse>> GetAsync(string username, ClaimsPrincipal principal, AccountService accounts, CancellationToken cancellationToken)
    {
        var (user, presence) = await accounts.GetProfileAsync(principal.GetUserId(), Validate.Username(username), cancellationToken);
        return TypedResults.Ok(new UserResponse(user.UserId, user.Username, user.DisplayName, presence?.Online, presence?.LastSeen));
    }

    private static async Task<Ok<List<BlockedUserResponse>>> ListBlockedAsync(ClaimsPrincipal principal, BlockService blocks, CancellationToken cancellationToken)
    {
        var blocked = await blocks.ListAsync(principal.GetUserId(), cancellationToken);
        return TypedResults.Ok(blocked.Select(u => new BlockedUserResponse(u.UserId, u.Username, u.DisplayName)).ToList());
    }

    private static async Task<NoContent> BlockAsync(string userId, ClaimsPrincipal principal, BlockService blocks, CancellationToken cancellationToken)
    {
        await blocks.BlockAsync(principal.GetUserId(), userId, cancellationToken);
        return TypedResults.NoContent();
    }

    private static async Task<NoContent> UnblockAsync(string userId, ClaimsPrincipal principal, BlockService blocks, CancellationToken cancellationToken)
    {
        await blocks.UnblockAsync(principal.GetUserId(), userId, cancellationToken);
        return TypedResults.NoContent();
    }
}
