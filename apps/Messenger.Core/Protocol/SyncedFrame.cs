namespace Messenger.Core.Protocol;

public sealed record SyncedFrame : ServerFrame;
