using Azure.Storage.Blobs;
using Messenger.Core.Events;
using Messenger.Core.Subscriptions;
using Messenger.Media.Ingest;
using Messenger.Media.Processing;
using Messenger.Media.Storage;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;

namespace Messenger.Media;

public static class MediaServiceExtensions
{
    /// <summary>The folder under the data directory where local-disk mode keeps blobs.</summary>
    public const string LocalFolder = "media";

    /// <summary>The data directory of the host (the embedded adapters' <c>Messenger:DataDir</c>, default <c>data</c>).</summary>
    private const string DataDirKey = "Messenger:DataDir";
    private const string DefaultDataDir = "data";

    private static readonly string ConnectionStringKey = $"{MediaOptions.Section}:{nameof(MediaOptions.BlobConnectionString)}";

    /// <summary>
    /// The media app: <see cref="MediaOptions"/> (validated at start), blob storage (Azure Blob Storage when
    /// <c>Messenger:Media:BlobConnectionString</c> is set, else the local disk under <c>{Messenger:DataDir}/media</c>),
    /// uploads (within each user's storage quota and, on the local disk, the free-space reserve), downloads,
    /// <see cref="MediaProcessor"/> subscribed to <c>media-uploaded</c> (thumbnails and video dimensions, off the
    /// request path) with its backlog published again at start, and the sweeper of abandoned and unsent uploads. The host's adapters register <see cref="Core.Ports.IMediaStore"/> and the event bus.
    /// </summary>
    public static IHostApplicationBuilder AddMedia(this IHostApplicationBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        var services = builder.Services;
        services.AddOptions<MediaOptions>().BindConfiguration(MediaOptions.Section)
            .PostConfigure<IConfiguration>((o, configuration) =>
                o.LocalDirectory ??= Path.Combine(configuration[DataDirKey] ?? DefaultDataDir, LocalFolder))
            .ValidateDataAnnotations()
            .Validate(
                o => !o.UsesBlobStorage || CanSign(o),
                $"{ConnectionStringKey} must be a storage connection string with an account key (the media app signs SAS URLs with it).")
            .ValidateOnStart();
        services.TryAddSingleton(TimeProvider.System);

        if (!string.IsNullOrWhiteSpace(builder.Configuration[ConnectionStringKey]))
        {
            services.TryAddSingleton(CreateAzureStore);
            services.TryAddSingleton<IBlobStore>(sp => sp.GetRequiredService<AzureBlobStore>());
            services.TryAddSingleton<IDirectBlobAccess>(sp => sp.GetRequiredService<AzureBlobStore>());
        }
        else
        {
            if (!services.Any(d => d.ServiceType == typeof(IBlobStore)))
            {
                // Only when the blobs are on the local disk: a blob store registered before (the Dapr host's secret one) is not.
                services.TryAddSingleton(sp =>
                {
                    var settings = sp.GetRequiredService<IOptions<MediaOptions>>().Value;
                    return new LocalDiskSpace(settings.LocalDirectory!, settings.FreeSpaceReserve);
                });
            }

            services.TryAddSingleton<IBlobStore>(CreateLocalStore);
        }

        services.TryAddSingleton<MediaDiscarder>();
        services.TryAddSingleton<MediaIngest>();
        services.TryAddSingleton<DirectUploads>();
        services.TryAddSingleton<MediaAccess>();
        services.TryAddSingleton<MediaDownloads>();
        services.AddSubscription<MediaUploaded, MediaProcessor>(Topics.MediaUploaded);
        services.AddHostedService<MediaThumbnailBacklog>();
        services.TryAddSingleton<MediaJanitor>();
        services.AddHostedService(sp => sp.GetRequiredService<MediaJanitor>());
        return builder;
    }

    /// <summary>Maps the routes under <c>/api/media</c> (see <see cref="MediaEndpoints"/>).</summary>
    public static IEndpointRouteBuilder MapMedia(this IEndpointRouteBuilder endpoints)
    {
        ArgumentNullException.ThrowIfNull(endpoints);
        MediaEndpoints.Map(endpoints);
        return endpoints;
    }

    /// <summary>Parses the connection string (no network); a client built from it must be able to sign SAS URLs.</summary>
    private static bool CanSign(MediaOptions options)
    {
        try
        {
            return new BlobContainerClient(options.BlobConnectionString, options.ContainerName).CanGenerateSasUri;
        }
        catch (Exception e) when (e is FormatException or ArgumentException)
        {
            return false;
        }
    }

    private static AzureBlobStore CreateAzureStore(IServiceProvider services)
    {
        var options = services.GetRequiredService<IOptions<MediaOptions>>().Value;
        var logger = services.GetRequiredService<ILogger<AzureBlobStore>>();
        var container = new BlobContainerClient(options.BlobConnectionString, options.ContainerName);
        if (logger.IsEnabled(LogLevel.Information))
        {
            var where = $"in blob container '{options.ContainerName}' of account '{container.AccountName}'";
            MediaLog.StorageChosen(logger, where);
        }

        return new AzureBlobStore(container, options.BlockSize, services.GetRequiredService<TimeProvider>(), logger);
    }

    private static LocalDiskBlobStore CreateLocalStore(IServiceProvider services)
    {
        var directory = services.GetRequiredService<IOptions<MediaOptions>>().Value.LocalDirectory!;
        var logger = services.GetRequiredService<ILogger<LocalDiskBlobStore>>();
        if (logger.IsEnabled(LogLevel.Information))
        {
            var where = $"on the local disk under '{Path.GetFullPath(directory)}'";
            MediaLog.StorageChosen(logger, where);
        }

        return new LocalDiskBlobStore(directory);
    }
}
