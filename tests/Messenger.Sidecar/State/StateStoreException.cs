namespace Messenger.Sidecar.State;

/// <summary>A write the store refused; the message is the state store's own (daprd wraps it in its API error).</summary>
public sealed class StateStoreException(StateErrorKind kind, string message) : Exception(message)
{
    public StateErrorKind Kind { get; } = kind;
}
