using Messenger.LoadTests.Protocol;

namespace Messenger.LoadTests.Client;

/// <summary>Receives what a connection reads; called on the connection's receive loop, one frame at a time.</summary>
public interface IFrameSink
{
    void OnFrame(UserConnection connection, ServerFrame frame, long receivedAt);

    void OnBadFrame(UserConnection connection, string reason);

    void OnClosed(UserConnection connection, string reason);
}
