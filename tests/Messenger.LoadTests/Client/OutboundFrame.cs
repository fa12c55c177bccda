namespace Messenger.LoadTests.Client;

/// <summary>A frame waiting in a connection's send queue: a chat message to build, or ready bytes.</summary>
public readonly record struct OutboundFrame(string? ConversationId, string? ClientMessageId, string? Text, ReadOnlyMemory<byte> Raw);
