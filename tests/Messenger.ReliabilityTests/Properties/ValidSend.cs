namespace Messenger.ReliabilityTests.Properties;

/// <summary>The fields of a well-formed send frame.</summary>
public sealed record ValidSend(string ConversationId, string ClientMessageId, string Text);
