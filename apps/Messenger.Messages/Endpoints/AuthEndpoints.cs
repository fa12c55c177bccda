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
        var group = app.MapGroup("/api/auth").WithTags("Auth");
        group.MapPost("/register", RegisterAsync).AllowAnonymous().RateLimited(RateLimitKind.Registrations);
        group.MapPost("/login", LoginAsync).AllowAnonymous().RateLimited(RateLimitKind.Logins);

        // Not in an anonymous group: AllowAnonymous would win over RequireAuthorization, and a token that failed
        // authentication (replaced by a refresh, its session ended) would reach the handler unauthenticated.
        group.MapPost("/refresh", RefreshAsync).RequireAuthorization();
        group.MapPost("/logout", LogoutAsync).RequireAuthorization();
        return app;
    }

    private static async Task<Created<AuthResponse>> RegisterAsync(RegisterRequest request, AccountService accounts, SessionService sessions, CancellationToken cancellationToken)
    {
        var user = await accounts.RegisterAsync(request.Username, request.Password, request.DisplayName, cancellationToken);
        return TypedResults.Created($"/api/users/{user.Username}", new AuthResponse(user.UserId, user.Username, await sessions.StartAsync(user, cancellationToken)));
    }

    /// <summary>
    /// A new token of the same session for its current one, which stops working now: a client stays signed in past
    /// the short token lifetime, never past the session's absolute age.
    /// </summary>
    private static async Task<Ok<AuthResponse>> RefreshAsync(ClaimsPrincipal principal, IUserStore users, SessionService sessions, CancellationToken cancellationToken)
    {
        var user = await users.GetAsync(principal.GetUserId(), cancellationToken) ?? throw ChatException.Unauthorized("The account no longer exists.");
        return TypedResults.Ok(new AuthResponse(user.UserId, user.Username, await sessions.RefreshAsync(principal, user, cancellationToken)));
    }

    /// <summary>Ends the session of the token the request carries (all its tokens), and closes its WebSockets.</summary>
    private static async Task<NoContent> LogoutAsync(ClaimsPrincipal principal, SessionService sessions, SessionEndNotifier notifier, CancellationToken cancellationToken)
    {
        if (await sessions.EndAsync(principal, cancellationToken) is { } ended)
        {
            await notifier.NotifyAsync(ended.UserId, ended.SessionId, cancellationToken);
        }

        return TypedResults.NoContent();
    }

    private static async Task<Ok<AuthResponse>> LoginAsync(
        LoginRequest request, AccountService accounts, SessionService sessions, LoginBackoff backoff, CancellationToken cancellationToken)
    {
        var username = request.Username ?? string.Empty;
        backoff.ThrowIfWaiting(username);
        try
        {
            var user = await accounts.LoginAsync(request.Username, request.Password, cancellationToken);
            backoff.Succeeded(username);
            return TypedResults.Ok(new AuthResponse(user.UserId, user.Username, await sessions.StartAsync(user, cancellationToken)));
        }
        catch (ChatException e) when (e.Code == ErrorCodes.Unauthorized)
        {
            backoff.Failed(username);
            throw;
        }
    }
}
