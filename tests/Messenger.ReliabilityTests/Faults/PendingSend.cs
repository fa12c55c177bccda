namespace Messenger.ReliabilityTests.Faults;

/// <summary>A send a device made and has not had acknowledged yet; resent with the same clientMessageId.</summary>
internal sealed record PendingSend(string Conversation, string ClientId, string Text);
