using System.Security.Claims;
using Messenger.Core.Errors;
using Messenger.Core.Ports;
using Messenger.Core.Services;
using Messenger.Hosting;
using Messenger.Hosting.RateLimits;
using Messenger.Messages.Contracts;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Messenger.Messages.Endpoints;

public static class AuthEndpoints
{
    public static IEndpointRouteBuilder MapAuthEndpoints(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/api/auth").WithTags("Auth").AllowAnonymous();
        group.MapPost("/register", RegisterAsync).RateLimited(RateLimitKind.Registrations);
        group.MapPost("/login", LoginAsync).RateLimited(RateLimitKind.Logins);
        group.MapPost("/refresh", RefreshAsync).RequireAuthorization();
        group.MapPost("/logout", LogoutAsync).RequireAuthorization();
        return app;
    }

    private static async Task<Created<AuthResponse>> RegisterAsync(RegisterRequest request, AccountService accounts, TokenIssuer tokens, CancellationToken cancellationToken)
    {
        var user = await accounts.RegisterAsync(request.Username, request.Password, request.DisplayName, cancellationToken);
        return TypedResults.Created($"/api/users/{user.Username}", new AuthResponse(user.UserId, user.Username, tokens.Issue(user)));
    }

    /// <summary>A fresh token for a still valid one, so that a client stays signed in past the short lifetime.</summary>
    private static async Task<Ok<AuthResponse>> RefreshAsync(ClaimsPrincipal principal, IUserStore users, TokenIssuer tokens, CancellationToken cancellationToken)
    {
        var user = await users.GetAsync(principal.GetUserId(), cancellationToken) ?? throw ChatException.Unauthorized("The account no longer exists.");
        return TypedResults.Ok(new AuthResponse(user.UserId, user.Username, tokens.Issue(user)));
    }

    /// <summary>Revokes the token the request carries, until it would have expired.</summary>
    private static async Task<NoContent> LogoutAsync(ClaimsPrincipal principal, ITokenRevocationStore revocations, CancellationToken cancellationToken)
    {
        var tokenId = principal.FindFirstValue(MessengerClaims.TokenId) ?? throw ChatException.Unauthorized("The token has no id.");
        var expires = long.TryParse(principal.FindFirstValue("exp"), out var exp) ? DateTimeOffset.FromUnixTimeSeconds(exp) : DateTimeOffset.UtcNow.AddDays(1);
        await revocations.RevokeAsync(tokenId, expires, cancellationToken);
        return TypedResults.NoContent();
    }

    private static async Task<Ok<AuthResponse>> LoginAsync(
        LoginRequest request, AccountService accounts, TokenIssuer tokens, LoginBackoff backoff, CancellationToken cancellationToken)
    {
        var username = request.Username ?? string.Empty;
        backoff.ThrowIfWaiting(username);
        try
        {
            var user = await accounts.LoginAsync(request.Username, request.Password, cancellationToken);
            backoff.Succeeded(username);
            return TypedResults.Ok(new AuthResponse(user.UserId, user.Username, tokens.Issue(user)));
        }
        catch (ChatException e) when (e.Code == ErrorCodes.Unauthorized)
        {
            backoff.Failed(username);
            throw;
        }
    }
}
