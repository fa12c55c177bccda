using System.Net.WebSockets;
using System.Security.Claims;
using Messenger.Core.Services;
using Messenger.Gateway.Connections;
using Messenger.Hosting;
using Microsoft.Extensions.Options;

namespace Messenger.Gateway;

public static class WebSocketEndpoints
{
    public static IEndpointRouteBuilder MapWebSocketEndpoints(this IEndpointRouteBuilder app)
    {
        app.Map(AuthenticationSetup.WebSocketPath, ConnectAsync).RequireAuthorization().ExcludeFromDescription();
        return app;
    }

    private static async Task ConnectAsync(
        HttpContext context,
        ClaimsPrincipal user,
        GatewayInstance gateway,
        ConnectionRegistry registry,
        ChatService chat,
        PresenceService presence,
        IOptions<GatewayOptions> options,
        IHostApplicationLifetime lifetime,
        ILogger<ClientConnection> logger)
    {
        if (!context.WebSockets.IsWebSocketRequest)
        {
            await Results.Problem(detail: "This endpoint takes a WebSocket upgrade.", statusCode: StatusCodes.Status400BadRequest).ExecuteAsync(context);
            return;
        }

        if (lifetime.ApplicationStopping.IsCancellationRequested)
        {
            await Results.Problem(detail: "This gateway is shutting down; connect again.", statusCode: StatusCodes.Status503ServiceUnavailable).ExecuteAsync(context);
            return;
        }

        var settings = options.Value;
        using var socket = await context.WebSockets.AcceptWebSocketAsync(new WebSocketAcceptContext
        {
            KeepAliveInterval = settings.KeepAliveInterval,
            KeepAliveTimeout = settings.KeepAliveTimeout,
        });
        var userId = user.GetUserId();
        var connection = new ClientConnection(userId, socket, chat, settings, logger);
        var session = new ClientSession(connection, socket, chat, settings, logger);
        registry.Add(connection);
        GatewayLog.Connected(logger, gateway.Id, connection.Id, userId);
        var writer = connection.RunWriterAsync();
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(context.RequestAborted, connection.Aborted);
        try
        {
            await presence.ConnectedAsync(userId, gateway.Id, connection.Id, stop.Token);
            await session.RunReaderAsync(stop.Token);
            if (socket.State == WebSocketState.CloseReceived)
            {
                connection.Close(WebSocketCloseStatus.NormalClosure, "Bye.");
            }
        }
        catch (Exception e) when (e is WebSocketException or OperationCanceledException)
        {
            // The client went away.
        }
        finally
        {
            registry.Remove(connection);
            connection.Close(WebSocketCloseStatus.NormalClosure, "Bye.");
            await writer;
            await presence.DisconnectedAsync(userId, gateway.Id, connection.Id, CancellationToken.None);
            GatewayLog.Disconnected(logger, connection.Id, userId);
        }
    }
}
