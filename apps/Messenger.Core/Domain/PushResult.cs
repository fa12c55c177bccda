namespace Messenger.Core.Domain;

public enum PushResult
{
    Sent,
    /// <summary>The provider says the token is gone (UNREGISTERED / INVALID_ARGUMENT): remove the device.</summary>
    TokenInvalid,
    Failed,
}
