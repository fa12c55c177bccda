using Messenger.Core.Domain;

namespace Messenger.Dapr.Actors;

/// <summary>Actor state <c>meta</c>: the conversation's head, rewritten on every append.</summary>
public sealed record ConversationMeta(
    ConversationType Type, string? Title, string CreatorId, DateTimeOffset CreatedAt, long LastSeq, DateTimeOffset LastActivityAt);
