using Messenger.Core.Domain;

namespace Messenger.Messages.Contracts;

public sealed record MessagesResponse(IReadOnlyList<Message> Messages);
