using Messenger.Core.Services;
using Messenger.Hosting;
using Messenger.Messages.Contracts;

namespace Messenger.Messages.Endpoints;

public static class AuthEndpoints
{
    public static IEndpointRouteBuilder MapAuthEndpoints(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/api/auth").WithTags("Auth").AllowAnonymous();
        group.MapPost("/register", RegisterAsync);
        group.MapPost("/login", LoginAsync);
        return app;
    }

    private static async Task<IResult> RegisterAsync(RegisterRequest request, AccountService accounts, TokenIssuer tokens, CancellationToken cancellationToken)
    {
        var user = await accounts.RegisterAsync(request.Username, request.Password, request.DisplayName, cancellationToken);
        return TypedResults.Created($"/api/users/{user.Username}", new AuthResponse(user.UserId, user.Username, tokens.Issue(user)));
    }

    private static async Task<IResult> LoginAsync(LoginRequest request, AccountService accounts, TokenIssuer tokens, CancellationToken cancellationToken)
    {
        var user = await accounts.LoginAsync(request.Username, request.Password, cancellationToken);
        return TypedResults.Ok(new AuthResponse(user.UserId, user.Username, tokens.Issue(user)));
    }
}
