using System.Net.WebSockets;

namespace Messenger.Gateway.Connections;

internal sealed record CloseRequest(WebSocketCloseStatus Status, string Reason);
