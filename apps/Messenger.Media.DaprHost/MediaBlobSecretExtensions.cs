using Messenger.Media.Storage;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace Messenger.Media.DaprHost;

public static class MediaBlobSecretExtensions
{
    private static readonly string ConnectionStringKey = $"{MediaOptions.Section}:{nameof(MediaOptions.BlobConnectionString)}";

    /// <summary>
    /// Unless <c>Messenger:Media:BlobConnectionString</c> is configured directly, the media app's blobs are in the Azure
    /// Blob Storage account whose connection string is the secret <see cref="MediaSecretOptions.BlobConnectionStringSecret"/>
    /// of the <c>secretstore</c> component, read once the sidecar answers (<see cref="SecretBlobStore"/>). It takes the
    /// place of the blob store <c>AddMedia</c> chose, whichever is called first (and drops the local disk's free-space
    /// check when <c>AddMedia</c> came first).
    /// </summary>
    public static IHostApplicationBuilder AddMediaBlobSecret(this IHostApplicationBuilder builder)
    {
        var services = builder.Services;
        services.AddOptions<MediaSecretOptions>().BindConfiguration(MediaSecretOptions.Section).ValidateOnStart();
        var secret = builder.Configuration.GetSection(MediaSecretOptions.Section).Get<MediaSecretOptions>() ?? new MediaSecretOptions();
        if (!string.IsNullOrWhiteSpace(builder.Configuration[ConnectionStringKey]) || !secret.UsesSecret)
        {
            return builder;
        }

        services.TryAddSingleton(TimeProvider.System);
        services.TryAddSingleton<SecretBlobStore>();
        services.Replace(ServiceDescriptor.Singleton<IBlobStore>(sp => sp.GetRequiredService<SecretBlobStore>()));
        services.Replace(ServiceDescriptor.Singleton<IDirectBlobAccess>(sp => sp.GetRequiredService<SecretBlobStore>()));

        // The blobs are not on the local disk, so its free-space reserve does not apply.
        services.RemoveAll<LocalDiskSpace>();
        services.AddHostedService<BlobSecretLoader>();
        return builder;
    }
}
