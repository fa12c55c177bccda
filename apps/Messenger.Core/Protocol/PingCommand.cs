namespace Messenger.Core.Protocol;

public sealed record PingCommand : ClientFrame;
