using Messenger.Core.Protocol;

namespace Messenger.Gateway.Connections;

/// <summary>
/// What waits in a connection's queue: a frame (with its bytes when serialised once for many connections), a sync
/// to run, or a close.
/// </summary>
internal readonly record struct Outbound(ServerFrame? Frame, ReadOnlyMemory<byte> Bytes, SyncCommand? Sync, CloseRequest? Close);
