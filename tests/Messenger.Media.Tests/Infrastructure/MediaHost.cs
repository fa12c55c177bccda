using System.Security.Cryptography;
using Messenger.Embedded.Sqlite;
using Messenger.Standalone;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace Messenger.Media.Tests.Infrastructure;

/// <summary>
/// The standalone host (<see cref="StandaloneApp.Build"/>) on a loopback port (port 0) over a data directory of its
/// own, with media helpers. With a connection string the blobs go to a container of its own in Azurite; else to the local disk.
/// </summary>
public sealed class MediaHost : IAsyncDisposable
{
    private readonly WebApplication app;

    private MediaHost(WebApplication app, string dataDir, string? container)
    {
        this.app = app;
        DataDir = dataDir;
        Container = container;
        BaseAddress = new Uri(app.Urls.First());
    }

    public Uri BaseAddress { get; }

    public string DataDir { get; }

    /// <summary>The blob container of this host, in Azure mode.</summary>
    public string? Container { get; }

    public IServiceProvider Services => app.Services;

    public string MediaDirectory => Path.Combine(DataDir, MediaServiceExtensions.LocalFolder);

    public static async Task<MediaHost> StartAsync(string? blobConnectionString, params string[] settings)
    {
        var dataDir = TempDirectory.Create();
        var container = blobConnectionString is null ? null : "media-" + Guid.NewGuid().ToString("n")[..12];
        string[] args =
        [
            "--environment", "Testing",
            "--Logging:LogLevel:Default", "Warning",
            "--Messenger:DataDir", dataDir,
            "--Messenger:Auth:SigningKey", Convert.ToBase64String(RandomNumberGenerator.GetBytes(48)),
            "--Messenger:Gateway:InstanceId", "gw1",
            .. blobConnectionString is null ? Array.Empty<string>() : ["--Messenger:Media:BlobConnectionString", blobConnectionString, "--Messenger:Media:ContainerName", container!],
            .. settings,
        ];

        // The standalone composition itself (push stays off: it has no FCM settings).
        var app = StandaloneApp.Build(["--urls", "http://127.0.0.1:0", .. args]);
        try
        {
            await app.StartAsync();
        }
        catch
        {
            await app.DisposeAsync();
            TempDirectory.TryDelete(dataDir);
            throw;
        }

        return new MediaHost(app, dataDir, container);
    }

    /// <summary>The host's HTTP API (and WebSockets).</summary>
    public ApiClient Api => new(BaseAddress);

    public HttpClient CreateClient(string? token = null, bool followRedirects = true) => Api.Http(token, followRedirects);

    /// <summary>How many media records the store holds, in any state.</summary>
    public long MediaRecordCount()
    {
        using var connection = Services.GetRequiredService<SqliteDatabase>().OpenRead();
        using var command = connection.CreateCommand();
        command.CommandText = "SELECT count(*) FROM media";
        return (long)command.ExecuteScalar()!;
    }

    /// <summary>Every file under the local media directory (local-disk mode), temporary ones included.</summary>
    public IReadOnlyList<string> MediaFiles() =>
        Directory.Exists(MediaDirectory) ? Directory.GetFiles(MediaDirectory, "*", SearchOption.AllDirectories) : [];

    public async ValueTask DisposeAsync()
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(10));
        await app.StopAsync(timeout.Token);
        await app.DisposeAsync();
        TempDirectory.TryDelete(DataDir);
    }
}
