namespace Messenger.Dapr.Tests.Infrastructure;

internal static class TestSettings
{
    /// <summary>A signing key shared by every app of a test, as dapr.yaml shares one.</summary>
    public const string SigningKey = "dGVzdC1zaWduaW5nLWtleS1mb3ItdGhlLWRhcHItdGVzdHMtb25seS0wMTIzNDU2Nzg5";

    public static readonly TimeSpan Timeout = TimeSpan.FromSeconds(15);
}
