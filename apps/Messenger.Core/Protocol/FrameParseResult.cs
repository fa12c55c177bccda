namespace Messenger.Core.Protocol;

/// <summary>Either a valid frame or the error frame to send back.</summary>
public readonly record struct FrameParseResult(ClientFrame? Frame, ErrorFrame? Error);
