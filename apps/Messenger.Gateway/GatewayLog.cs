namespace Messenger.Gateway;

internal static partial class GatewayLog
{
    [LoggerMessage(Level = LogLevel.Information, Message = "Gateway {GatewayId} accepted connection {ConnectionId} of user {UserId}")]
    public static partial void Connected(ILogger logger, string gatewayId, string connectionId, string userId);

    /// <summary>Inside the send's own span (<c>messenger.send</c>): the line that ties a client's message to its trace id.</summary>
    [LoggerMessage(Level = LogLevel.Debug, Message = "Connection {ConnectionId} sends message {ClientMessageId} to conversation {ConversationId}")]
    public static partial void Sending(ILogger logger, string connectionId, string clientMessageId, string conversationId);

    [LoggerMessage(Level = LogLevel.Information, Message = "Connection {ConnectionId} of user {UserId} closed")]
    public static partial void Disconnected(ILogger logger, string connectionId, string userId);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Connection {ConnectionId} fell {Capacity} frames behind and is closed to resync")]
    public static partial void Overflowed(ILogger logger, string connectionId, int capacity);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Connection {ConnectionId} stalled on a send and was dropped")]
    public static partial void Stalled(ILogger logger, string connectionId);

    [LoggerMessage(Level = LogLevel.Error, Message = "A {FrameType} frame failed on connection {ConnectionId}")]
    public static partial void FrameFailed(ILogger logger, Exception exception, string frameType, string connectionId);

    [LoggerMessage(Level = LogLevel.Error, Message = "Renewing the presence lease of gateway {GatewayId} failed")]
    public static partial void RenewFailed(ILogger logger, Exception exception, string gatewayId);

    [LoggerMessage(Level = LogLevel.Warning, Message = "The presence lease of gateway {GatewayId} had lapsed; registering its {Count} connections again")]
    public static partial void LeaseLapsed(ILogger logger, string gatewayId, int count);

    [LoggerMessage(Level = LogLevel.Debug, Message = "Connection {ConnectionId} reads seqs {From} to {To} of conversation {ConversationId} from the store before seq {Seq}")]
    public static partial void FillingGap(ILogger logger, string connectionId, long from, long to, string conversationId, long seq);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Filling the gap before seq {Seq} of conversation {ConversationId} failed")]
    public static partial void GapFillFailed(ILogger logger, Exception exception, long seq, string conversationId);

    [LoggerMessage(Level = LogLevel.Error, Message = "Fanning out seq {Seq} of conversation {ConversationId} failed after its sent; members get it from a gap fill or sync")]
    public static partial void FanOutFailed(ILogger logger, Exception exception, string conversationId, long seq);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Delivery on connection {ConnectionId} failed; it is closed (1013) so that the client reconnects and syncs")]
    public static partial void WriterFailed(ILogger logger, Exception exception, string connectionId);
}
