namespace Messenger.LoadTests.Protocol;

/// <summary>Values of the <c>type</c> field of WebSocket frames.</summary>
public static class FrameTypes
{
    public const string Send = "send";
    public const string Sent = "sent";
    public const string Message = "message";
    public const string Sync = "sync";
    public const string Synced = "synced";
    public const string Ping = "ping";
    public const string Pong = "pong";
    public const string Error = "error";
}
