using Messenger.LoadTests.Protocol;

namespace Messenger.LoadTests.Relay;

/// <summary>Just enough of the client contract for the load tool: register, login, conversations, health, /ws.</summary>
public static class RelayEndpoints
{
    private const string BearerPrefix = "Bearer ";

    public static void MapRelay(this WebApplication app)
    {
        app.MapGet(ApiPaths.Health, () => Results.Ok());
        app.MapPost(ApiPaths.Register, Register);
        app.MapPost(ApiPaths.Login, Login);
        app.MapPost(ApiPaths.Conversations, CreateConversation);
        app.Map(ApiPaths.WebSocket, AcceptAsync);
    }

    private static IResult Register(AuthRequest request, RelayState state)
    {
        if (string.IsNullOrEmpty(request.Username) || request.Password is not { Length: >= 8 })
        {
            return Results.Problem(statusCode: StatusCodes.Status400BadRequest, title: "invalid username or password");
        }

        var user = state.Register(request.Username, request.Password);
        return user is null
            ? Results.Problem(statusCode: StatusCodes.Status409Conflict, title: "username taken")
            : Results.Json(new AuthResponse(user.UserId, user.Username, user.Token), LoadJsonContext.Default.AuthResponse, statusCode: StatusCodes.Status201Created);
    }

    private static IResult Login(AuthRequest request, RelayState state)
    {
        var user = state.Login(request.Username, request.Password);
        return user is null
            ? Results.Unauthorized()
            : Results.Json(new AuthResponse(user.UserId, user.Username, user.Token), LoadJsonContext.Default.AuthResponse);
    }

    private static IResult CreateConversation(CreateConversationRequest request, HttpContext context, RelayState state)
    {
        var creator = state.ByToken(BearerToken(context));
        if (creator is null)
        {
            return Results.Unauthorized();
        }

        var others = request.MemberIds.Select(state.ById).ToArray();
        if (others.Any(u => u is null) || (request.Type == ConversationTypes.Direct && others.Length != 1))
        {
            return Results.Problem(statusCode: StatusCodes.Status400BadRequest, title: "bad members");
        }

        var (conversation, created) = state.Create(creator, request.Type, request.Title, others!);
        return Results.Json(
            RelayConversationDto.From(conversation),
            LoadJsonContext.Default.RelayConversationDto,
            statusCode: created ? StatusCodes.Status201Created : StatusCodes.Status200OK);
    }

    private static async Task AcceptAsync(HttpContext context, RelayState state)
    {
        var user = state.ByToken(context.Request.Query[ApiPaths.AccessTokenQuery]);
        if (user is null)
        {
            context.Response.StatusCode = StatusCodes.Status401Unauthorized;
            return;
        }

        if (!context.WebSockets.IsWebSocketRequest)
        {
            context.Response.StatusCode = StatusCodes.Status400BadRequest;
            return;
        }

        using var socket = await context.WebSockets.AcceptWebSocketAsync();
        var connection = new RelayConnection(socket, user, state);
        user.Add(connection);
        try
        {
            await connection.RunAsync(context.RequestAborted);
        }
        finally
        {
            user.Remove(connection);
        }
    }

    private static string? BearerToken(HttpContext context)
    {
        var header = context.Request.Headers.Authorization.ToString();
        return header.StartsWith(BearerPrefix, StringComparison.Ordinal) ? header[BearerPrefix.Length..] : null;
    }
}
