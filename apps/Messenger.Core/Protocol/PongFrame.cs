namespace Messenger.Core.Protocol;

public sealed record PongFrame : ServerFrame;
