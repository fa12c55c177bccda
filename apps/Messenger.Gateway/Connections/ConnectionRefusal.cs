namespace Messenger.Gateway.Connections;

/// <summary>Why <see cref="ConnectionRegistry.TryReserve"/> gave no slot.</summary>
public enum ConnectionRefusal
{
    None,

    /// <summary>The user holds as many connections on this gateway as one user may.</summary>
    UserLimit,

    /// <summary>The gateway holds as many connections as it may.</summary>
    GatewayLimit,
}
