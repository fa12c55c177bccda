using Messenger.LoadTests.Client;

namespace Messenger.LoadTests.Scenarios;

/// <summary>A connection and the conversation it sends into.</summary>
public sealed record SenderSlot(UserConnection Connection, string ConversationId);
