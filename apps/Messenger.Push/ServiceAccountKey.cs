using System.Text.Json;

namespace Messenger.Push;

/// <summary>
/// The fields of a Google service-account JSON key that the FCM client needs. <see cref="ToString"/> is overridden
/// so that the private key can never end up in a log or an exception message through this record.
/// </summary>
internal sealed record ServiceAccountKey(string ClientEmail, string PrivateKey, string? PrivateKeyId, string? ProjectId, Uri TokenUri)
{
    public const string ServiceAccountType = "service_account";
    public const string DefaultTokenUri = "https://oauth2.googleapis.com/token";

    /// <summary>Reads and checks the key file; every error names the file and the problem, never the file's content.</summary>
    public static ServiceAccountKey Load(string path)
    {
        string json;
        try
        {
            json = File.ReadAllText(path);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or ArgumentException or NotSupportedException)
        {
            throw new InvalidOperationException($"The FCM credentials file '{path}' cannot be read ({ex.GetType().Name}).");
        }

        try
        {
            using var document = JsonDocument.Parse(json);
            var root = document.RootElement;
            if (root.ValueKind != JsonValueKind.Object)
            {
                throw Invalid(path, "it is not a JSON object");
            }

            var type = String(root, "type");
            if (type != ServiceAccountType)
            {
                throw Invalid(path, $"its \"type\" is not \"{ServiceAccountType}\"");
            }

            var clientEmail = String(root, "client_email");
            var privateKey = String(root, "private_key");
            if (string.IsNullOrWhiteSpace(clientEmail))
            {
                throw Invalid(path, "\"client_email\" is missing");
            }

            if (string.IsNullOrWhiteSpace(privateKey) || !privateKey.Contains("PRIVATE KEY", StringComparison.Ordinal))
            {
                throw Invalid(path, "\"private_key\" is missing or not a PEM private key");
            }

            var tokenUriText = String(root, "token_uri");
            var tokenUri = string.IsNullOrWhiteSpace(tokenUriText) ? new Uri(DefaultTokenUri) : ParseTokenUri(path, tokenUriText);
            return new ServiceAccountKey(clientEmail, privateKey, String(root, "private_key_id"), String(root, "project_id"), tokenUri);
        }
        catch (JsonException)
        {
            throw Invalid(path, "it is not valid JSON");
        }
    }

    /// <summary>The signed assertion goes to the token endpoint: https, or plain http only to this machine.</summary>
    private static Uri ParseTokenUri(string path, string text)
    {
        if (!Uri.TryCreate(text, UriKind.Absolute, out var uri)
            || !(uri.Scheme == Uri.UriSchemeHttps || (uri.Scheme == Uri.UriSchemeHttp && uri.IsLoopback)))
        {
            throw Invalid(path, "\"token_uri\" must be an https URL (http only for a loopback address)");
        }

        return uri;
    }

    private static string? String(JsonElement root, string name) =>
        root.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String ? value.GetString() : null;

    private static InvalidOperationException Invalid(string path, string problem) =>
        new($"The FCM credentials file '{path}' is not a usable service-account key: {problem}.");

    public override string ToString() => $"ServiceAccountKey {{ ClientEmail = {ClientEmail}, TokenUri = {TokenUri} }}";
}
