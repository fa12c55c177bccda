using Messenger.Sidecar.Components;

namespace Messenger.Sidecar.Daprd;

/// <summary>One sidecar double: the app it stands beside and the ports it serves (daprd's --app-id, --app-port,
/// --dapr-http-port, --dapr-grpc-port, --resources-path, DAPR_API_TOKEN and APP_API_TOKEN).</summary>
public sealed record SidecarOptions
{
    public required string AppId { get; init; }

    /// <summary>Names this instance in logs and placement (several app processes can share an app id).</summary>
    public string InstanceName { get; init; } = string.Empty;

    /// <summary>The app's port on 127.0.0.1, or null for an app that serves nothing.</summary>
    public int? AppPort { get; init; }

    public required int HttpPort { get; init; }

    public required int GrpcPort { get; init; }

    public ResourceSet Resources { get; init; } = ResourceSet.Empty;

    /// <summary>Where the app runs: relative paths in components (the local secrets file) are resolved from here, as
    /// daprd resolves them from its working directory.</summary>
    public string AppDirectory { get; init; } = Directory.GetCurrentDirectory();

    /// <summary>DAPR_API_TOKEN: when set, every call from the app must carry it in <c>dapr-api-token</c>.</summary>
    public string? ApiToken { get; init; }

    /// <summary>APP_API_TOKEN: when set, every call to the app carries it in <c>dapr-api-token</c>.</summary>
    public string? AppApiToken { get; init; }

    /// <summary>How long to wait for the app's port before giving up on reading its configuration.</summary>
    public TimeSpan AppStartTimeout { get; init; } = TimeSpan.FromMinutes(2);

    public string Name => string.IsNullOrEmpty(InstanceName) ? AppId : InstanceName;
}
