namespace Messenger.LoadTests.Protocol;

/// <summary>A client-to-server frame as the baseline relay reads it.</summary>
public sealed record ClientFrame(
    string Type,
    string? ConversationId = null,
    string? ClientMessageId = null,
    string? Text = null,
    IReadOnlyDictionary<string, long>? Cursors = null);
