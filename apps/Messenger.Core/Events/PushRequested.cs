using Messenger.Core.Domain;

namespace Messenger.Core.Events;

/// <summary>A message was stored and these members have no open connection: tell their devices.</summary>
public sealed record PushRequested(
    IReadOnlyList<string> UserIds,
    string ConversationId,
    ConversationType ConversationType,
    string? ConversationTitle,
    string SenderId,
    string SenderDisplayName,
    string MessageId,
    long Seq,
    string? Text,
    string? MediaContentType);
