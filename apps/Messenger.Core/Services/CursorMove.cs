namespace Messenger.Core.Services;

public sealed record CursorMove(string UserId, long? DeliveredSeq, long? ReadSeq);
