using System.Net.WebSockets;
using System.Security.Claims;
using Messenger.Core.Ports;
using Messenger.Core.Services;
using Messenger.Gateway.Connections;
using Messenger.Hosting;
using Messenger.Hosting.RateLimits;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.Extensions.Options;

namespace Messenger.Gateway;

public static class WebSocketEndpoints
{
    public static IEndpointRouteBuilder MapWebSocketEndpoints(this IEndpointRouteBuilder app)
    {
        app.Map(AuthenticationSetup.WebSocketPath, ConnectAsync).RequireAuthorization().ExcludeFromDescription();
        return app;
    }

    /// <summary>No Origin (not a browser), the gateway's own origin, or one configured as allowed.</summary>
    internal static bool OriginAllowed(HttpRequest request, GatewayOptions options)
    {
        var origin = request.Headers.Origin.ToString();
        if (string.IsNullOrEmpty(origin))
        {
            return true;
        }

        if (!Uri.TryCreate(origin, UriKind.Absolute, out var uri))
        {
            return false;
        }

        var own = string.Equals(uri.Authority, request.Host.Value, StringComparison.OrdinalIgnoreCase)
            && (uri.Scheme == (request.IsHttps ? "https" : "http"));
        return own || options.AllowedOrigins.Any(o => string.Equals(o.TrimEnd('/'), origin.TrimEnd('/'), StringComparison.OrdinalIgnoreCase));
    }

    /// <summary>After our close frame, give the client a moment to answer, so the TCP close never overtakes it.</summary>
    private static async Task AwaitClientCloseAsync(WebSocket socket)
    {
        if (socket.State != WebSocketState.CloseSent)
        {
            return;
        }

        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(2));
        var scratch = new byte[256];
        try
        {
            while (socket.State == WebSocketState.CloseSent)
            {
                await socket.ReceiveAsync(scratch, timeout.Token);
            }
        }
        catch (Exception e) when (e is WebSocketException or OperationCanceledException)
        {
            // The client went without answering.
        }
    }

    /// <summary>
    /// Disposes the socket, unless the WebSocket failed on its own (a text frame that is not UTF-8, a protocol error).
    /// Such a WebSocket has put its close frame (1007, 1002) in Kestrel's output and then gone to Aborted; disposing it
    /// now makes ASP.NET Core abort the HTTP connection, a TCP reset that drops that close frame while it still waits to
    /// be sent. Left alone, it is done with when the request ends: Kestrel sends what is queued and then closes the
    /// connection gracefully. (A socket aborted by this gateway, a stalled send or a client that never answered the close,
    /// has already been disposed by its Abort.)
    /// </summary>
    private static void Release(WebSocket socket)
    {
        if (socket.State != WebSocketState.Aborted)
        {
            socket.Dispose();
        }
    }

    /// <summary>
    /// Refuses with a problem, or takes the upgrade and serves the connection until it ends; the upgraded response
    /// belongs to the WebSocket, so the result then is the empty one that writes nothing.
    /// </summary>
    private static async Task<Results<ProblemHttpResult, EmptyHttpResult>> ConnectAsync(
        HttpContext context,
        ClaimsPrincipal user,
        GatewayInstance gateway,
        ConnectionRegistry registry,
        ChatService chat,
        MessageChangeService changes,
        ChatRateLimiter limits,
        PresenceService presence,
        ISessionStore sessions,
        TimeProvider time,
        IOptions<GatewayOptions> options,
        IHostApplicationLifetime lifetime,
        ILogger<ClientConnection> logger)
    {
        if (!context.WebSockets.IsWebSocketRequest)
        {
            return TypedResults.Problem(detail: "This endpoint takes a WebSocket upgrade.", statusCode: StatusCodes.Status400BadRequest);
        }

        if (lifetime.ApplicationStopping.IsCancellationRequested)
        {
            return TypedResults.Problem(detail: "This gateway is shutting down; connect again.", statusCode: StatusCodes.Status503ServiceUnavailable);
        }

        var settings = options.Value;
        if (!OriginAllowed(context.Request, settings))
        {
            return TypedResults.Problem(detail: "WebSocket connections from this origin are not allowed.", statusCode: StatusCodes.Status403Forbidden);
        }

        using var slot = registry.TryReserve(user.GetUserId(), settings.MaxConnectionsPerUser, settings.MaxConnections, out var refusal);
        if (slot is null)
        {
            return refusal == ConnectionRefusal.GatewayLimit
                ? TypedResults.Problem(detail: "This gateway holds as many connections as it may; connect again later.", statusCode: StatusCodes.Status503ServiceUnavailable)
                : TypedResults.Problem(
                    detail: $"At most {settings.MaxConnectionsPerUser} open connections per user; close one first.",
                    statusCode: StatusCodes.Status429TooManyRequests);
        }

        var socket = await context.WebSockets.AcceptWebSocketAsync(new WebSocketAcceptContext
        {
            KeepAliveInterval = settings.KeepAliveInterval,
            KeepAliveTimeout = settings.KeepAliveTimeout,
        });
        try
        {
            // The token was the current one of a live session (authentication checked): the connection belongs to
            // that session and lives no longer than it, at first until the token expires (SessionWatch looks again then).
            var sessionId = user.FindFirstValue(MessengerClaims.SessionId)!;
            var liveUntil = long.TryParse(user.FindFirstValue(MessengerClaims.Expires), out var exp) ? DateTimeOffset.FromUnixTimeSeconds(exp) : time.GetUtcNow();
            await using var connection = new ClientConnection(user.GetUserId(), sessionId, liveUntil, socket, chat, settings, logger);
            var session = new ClientSession(connection, socket, chat, changes, limits, settings, logger);
            await ServeAsync(connection, session, socket, gateway, registry, presence, sessions, time, logger, context.RequestAborted);
        }
        finally
        {
            Release(socket);
        }

        return TypedResults.Empty;
    }

    /// <summary>
    /// Looks at the connection's session once it is registered: a logout that ran between the upgrade's
    /// authentication and now found no gateway holding this connection, so its end is noticed here (4001).
    /// </summary>
    private static async Task CheckSessionAsync(ClientConnection connection, ISessionStore sessions, TimeProvider time, CancellationToken cancellationToken)
    {
        var current = await sessions.GetAsync(connection.SessionId, cancellationToken);
        if (current is null)
        {
            connection.EndSession(ClientConnection.SessionEnded, SessionEndedHandler.Reason);
        }
        else if (!current.IsLiveAt(time.GetUtcNow()))
        {
            connection.EndSession(ClientConnection.SessionExpired, SessionWatch.ExpiredReason);
        }
        else
        {
            connection.LiveUntil = current.LiveUntil;
        }
    }

    /// <summary>The connection online (presence, told to contacts), then its session looked at.</summary>
    private static async Task RegisterAsync(
        ClientConnection connection, GatewayInstance gateway, PresenceService presence, ISessionStore sessions, TimeProvider time, CancellationToken cancellationToken)
    {
        await presence.ConnectedAsync(connection.UserId, gateway.Id, connection.Id, cancellationToken);
        await CheckSessionAsync(connection, sessions, time, cancellationToken);
    }

    /// <summary>One connection's life: registered and online, its reader until the client goes, then closed and forgotten.</summary>
    private static async Task ServeAsync(
        ClientConnection connection,
        ClientSession session,
        WebSocket socket,
        GatewayInstance gateway,
        ConnectionRegistry registry,
        PresenceService presence,
        ISessionStore sessions,
        TimeProvider time,
        ILogger logger,
        CancellationToken requestAborted)
    {
        var userId = connection.UserId;
        registry.Add(connection);
        GatewayLog.Connected(logger, gateway.Id, connection.Id, userId);
        var writer = connection.RunWriterAsync();
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(requestAborted, connection.Aborted);
        try
        {
            // Read from the start (the client's keep-alive answers are taken in only while a read is pending), handle
            // once online and the session is checked.
            await session.RunAsync(RegisterAsync(connection, gateway, presence, sessions, time, stop.Token), stop.Token);
            if (socket.State == WebSocketState.CloseReceived)
            {
                connection.Close(WebSocketCloseStatus.NormalClosure, "Bye.");
            }
        }
        catch (Exception e) when (e is WebSocketException or OperationCanceledException)
        {
            // The client went away, or sent what the WebSocket refused (it closed with 1007 or 1002 itself).
        }
        finally
        {
            registry.Remove(connection);
            connection.Close(WebSocketCloseStatus.NormalClosure, "Bye.");
            await writer;
            await AwaitClientCloseAsync(socket);
            await presence.DisconnectedAsync(userId, gateway.Id, connection.Id, CancellationToken.None);
            GatewayLog.Disconnected(logger, connection.Id, userId);
        }
    }
}
