namespace Messenger.Dapr.Security;

/// <summary>
/// The Dapr app API token: the sidecar sends it in <see cref="Header"/> on every call to the app, and the app accepts
/// calls to the routes only the sidecar may call (<see cref="SidecarRoutes"/>) only with it. Dapr gives the same value
/// to the sidecar and to the app as the environment variable <see cref="ConfigurationKey"/> (in Kubernetes from the
/// secret named by the <c>dapr.io/app-token-secret</c> annotation). Required in Production.
/// </summary>
public sealed class AppApiTokenOptions
{
    public const string ConfigurationKey = "APP_API_TOKEN";

    public const string Header = "dapr-api-token";

    public const string MissingInProduction =
        ConfigurationKey + " is not set: in Production the routes only the Dapr sidecar may call (/dapr/*, /events/*, /actors/*) "
        + "must require the app API token. Give the sidecar and the app the same token (dapr.io/app-token-secret in Kubernetes, "
        + "the environment of `dapr run` on a machine).";

    public string? Token { get; set; }

    public bool IsSet => !string.IsNullOrEmpty(Token);
}
