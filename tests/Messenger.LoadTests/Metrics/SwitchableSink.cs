using Messenger.LoadTests.Client;
using Messenger.LoadTests.Protocol;

namespace Messenger.LoadTests.Metrics;

/// <summary>Forwards to the sink of the current phase, so connections outlive the phases of a sweep.</summary>
public sealed class SwitchableSink(IFrameSink initial) : IFrameSink
{
    private IFrameSink current = initial;

    public IFrameSink Current
    {
        get => Volatile.Read(ref current);
        set => Volatile.Write(ref current, value);
    }

    public void OnFrame(UserConnection connection, ServerFrame frame, long receivedAt) => Current.OnFrame(connection, frame, receivedAt);

    public void OnBadFrame(UserConnection connection, string reason) => Current.OnBadFrame(connection, reason);

    public void OnClosed(UserConnection connection, string reason) => Current.OnClosed(connection, reason);
}
