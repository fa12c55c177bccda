namespace Messenger.Messages.Contracts;

public sealed record ReadRequest(long? Seq);
