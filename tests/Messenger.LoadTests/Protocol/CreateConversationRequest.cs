namespace Messenger.LoadTests.Protocol;

/// <summary>Body of <c>POST /api/conversations</c>; <c>memberIds</c> names the members other than the creator.</summary>
public sealed record CreateConversationRequest(string Type, IReadOnlyList<string> MemberIds, string? Title = null);
