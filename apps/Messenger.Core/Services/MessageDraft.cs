using Messenger.Core.Domain;

namespace Messenger.Core.Services;

public sealed record MessageDraft(string SenderId, string ClientMessageId, string? Text, MediaInfo? Media);
