using Messenger.Media.Processing;
using Messenger.Media.Storage;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace Messenger.Media.DaprMode;

public static class MediaDaprExtensions
{
    private static readonly string ConnectionStringKey = $"{MediaOptions.Section}:{nameof(MediaOptions.BlobConnectionString)}";

    /// <summary>
    /// What the media app needs on top of <c>AddDaprAdapters</c> (which gives it the media store in the state store):
    /// thumbnails through pub/sub (<see cref="DaprMediaProcessingQueue"/>, and the backlog requeued at start) and,
    /// unless <c>Messenger:Media:BlobConnectionString</c> is configured directly, blob storage whose connection string
    /// is read from the secret store after start (<see cref="SecretBlobStore"/>). Call it before <c>AddMedia</c>,
    /// whose defaults (the in-process queue, configuration or local disk) it takes the place of.
    /// </summary>
    public static IHostApplicationBuilder AddMediaDaprAdapters(this IHostApplicationBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        var services = builder.Services;
        if (services.Any(d => d.ServiceType == typeof(MediaProcessor)))
        {
            throw new InvalidOperationException($"Call {nameof(AddMediaDaprAdapters)} before {nameof(MediaServiceExtensions.AddMedia)}.");
        }

        services.AddOptions<MediaSecretOptions>().BindConfiguration(MediaSecretOptions.Section).ValidateOnStart();
        services.TryAddSingleton(TimeProvider.System);
        services.TryAddSingleton<IMediaProcessingQueue, DaprMediaProcessingQueue>();
        services.AddHostedService<MediaThumbnailBacklog>();

        var secret = new MediaSecretOptions();
        builder.Configuration.GetSection(MediaSecretOptions.Section).Bind(secret);
        if (string.IsNullOrWhiteSpace(builder.Configuration[ConnectionStringKey]) && secret.UsesSecret)
        {
            services.TryAddSingleton<SecretBlobStore>();
            services.TryAddSingleton<IBlobStore>(sp => sp.GetRequiredService<SecretBlobStore>());
            services.TryAddSingleton<IDirectBlobAccess>(sp => sp.GetRequiredService<SecretBlobStore>());
            services.AddHostedService<BlobSecretLoader>();
        }

        return builder;
    }
}
