using Messenger.Core.Services;
using Messenger.Messages.Contracts;

namespace Messenger.Messages.Endpoints;

public static class UserEndpoints
{
    public static IEndpointRouteBuilder MapUserEndpoints(this IEndpointRouteBuilder app)
    {
        app.MapGet("/api/users/{username}", GetAsync).WithTags("Users").RequireAuthorization();
        return app;
    }

    private static async Task<IResult> GetAsync(string username, AccountService accounts, CancellationToken cancellationToken)
    {
        var (user, presence) = await accounts.GetProfileAsync(Validate.Username(username), cancellationToken);
        return TypedResults.Ok(new UserResponse(user.UserId, user.Username, user.DisplayName, presence.Online, presence.LastSeen));
    }
}
