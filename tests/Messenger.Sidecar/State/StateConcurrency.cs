namespace Messenger.Sidecar.State;

public enum StateConcurrency
{
    Unspecified,
    FirstWrite,
    LastWrite,
}
