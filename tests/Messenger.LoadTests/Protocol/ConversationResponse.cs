namespace Messenger.LoadTests.Protocol;

/// <summary>The fields of a conversation the load tool needs.</summary>
public sealed record ConversationResponse(string ConversationId, string Type, IReadOnlyList<string>? MemberIds, long LastSeq);
