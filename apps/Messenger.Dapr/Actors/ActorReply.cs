namespace Messenger.Dapr.Actors;

/// <summary>
/// What a <see cref="IConversationActor"/> call returns: the value, or the contract error the domain refused it with
/// (which the caller raises again as the same <see cref="Messenger.Core.Errors.ChatException"/>).
/// </summary>
public sealed record ActorReply<T>(T? Value, string? ErrorCode, string? ErrorMessage);
