namespace Messenger.Media.DaprHost;

/// <summary>
/// The blob storage secret is there but unusable (no connection string, or one without an account key). Its message
/// names the secret, never its value.
/// </summary>
public sealed class InvalidBlobSecretException(string message) : Exception(message);
