using Dapr.Client;
using Messenger.Dapr.Tests.Fakes;
using Messenger.Dapr.Tests.Infrastructure;
using Messenger.Media;
using Messenger.Media.DaprHost;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Moq;

namespace Messenger.Dapr.Tests;

/// <summary>The media app's blob storage from the secret store: read once, after start, never logged.</summary>
public sealed class SecretBlobStoreTests : IDisposable
{
    /// <summary>Azurite's well-known development account (public; no such account exists anywhere else).</summary>
    private const string DevelopmentAccount =
        "DefaultEndpointsProtocol=http;AccountName=devstoreaccount1;AccountKey=Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1OUzFT50uSRZ6IFsuFq2UVErCz4I6tq/K1SZFPTOtr/KBHBeksoGMGw==;BlobEndpoint=http://127.0.0.1:10000/devstoreaccount1;";

    private readonly InMemoryDapr dapr = new();
    private readonly CapturingLoggerProvider logs = new();

    public void Dispose() => logs.Dispose();

    [Fact]
    public async Task The_connection_string_is_read_from_the_secret_store_once_and_signs_read_urls()
    {
        AnswerSecret(new Dictionary<string, string> { [DaprNames.MediaBlobConnectionSecret] = DevelopmentAccount });
        var store = Store();

        Assert.Throws<InvalidOperationException>(() => store.ReadUrl("md_1/original", "image/png", TimeSpan.FromMinutes(5)));
        await store.LoadAsync(default);
        await store.LoadAsync(default);
        var url = store.ReadUrl("md_1/original", "image/png", TimeSpan.FromMinutes(5));

        Assert.Equal(1, dapr.CallsTo(nameof(DaprClient.GetSecretAsync)));
        Assert.Equal("127.0.0.1:10000", url.Authority);
        Assert.StartsWith("/devstoreaccount1/media/md_1/original", url.AbsolutePath, StringComparison.Ordinal);
        Assert.Contains("sp=r&", url.Query, StringComparison.Ordinal);
        Assert.Contains("sig=", url.Query, StringComparison.Ordinal);
        Assert.DoesNotContain(logs.Lines, l => l.Message.Contains("AccountKey", StringComparison.OrdinalIgnoreCase) || l.Message.Contains("Eby8vdM02", StringComparison.Ordinal));
    }

    [Fact]
    public async Task A_kubernetes_secret_with_one_key_of_another_name_is_taken_as_the_connection_string()
    {
        AnswerSecret(new Dictionary<string, string> { ["connectionString"] = DevelopmentAccount });

        await Store().LoadAsync(default);

        Assert.Equal(1, dapr.CallsTo(nameof(DaprClient.GetSecretAsync)));
    }

    [Fact]
    public async Task A_secret_without_an_account_key_is_refused_without_quoting_it()
    {
        const string WithoutKey = "BlobEndpoint=https://example.blob.core.windows.net/;SharedAccessSignature=sv=2024-01-01&sig=c2VjcmV0LXRvLWtlZXA%3D";
        AnswerSecret(new Dictionary<string, string> { [DaprNames.MediaBlobConnectionSecret] = WithoutKey });

        var refused = await Assert.ThrowsAsync<InvalidBlobSecretException>(() => Store().LoadAsync(default));

        Assert.Contains(DaprNames.MediaBlobConnectionSecret, refused.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("c2VjcmV0", refused.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task An_empty_secret_is_refused()
    {
        AnswerSecret(new Dictionary<string, string> { [DaprNames.MediaBlobConnectionSecret] = "" });

        await Assert.ThrowsAsync<InvalidBlobSecretException>(() => Store().LoadAsync(default));
    }

    private void AnswerSecret(Dictionary<string, string> values) =>
        dapr.Mock.Setup(d => d.GetSecretAsync(DaprNames.SecretStore, DaprNames.MediaBlobConnectionSecret, It.IsAny<IReadOnlyDictionary<string, string>?>(), It.IsAny<CancellationToken>()))
            .ReturnsAsync(values);

    private SecretBlobStore Store() =>
        new(dapr.Client, Options.Create(new MediaOptions()), Options.Create(new MediaSecretOptions()), TimeProvider.System, LoggerFactory.Create(b => b.AddProvider(logs)));
}
