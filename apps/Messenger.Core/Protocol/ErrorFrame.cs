namespace Messenger.Core.Protocol;

public sealed record ErrorFrame(string Code, string Message, string? Ref) : ServerFrame;
