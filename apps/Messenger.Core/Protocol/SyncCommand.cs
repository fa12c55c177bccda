namespace Messenger.Core.Protocol;

public sealed record SyncCommand(IReadOnlyDictionary<string, long> Cursors) : ClientFrame;
