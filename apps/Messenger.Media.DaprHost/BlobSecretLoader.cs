using Microsoft.Extensions.Options;

namespace Messenger.Media.DaprHost;

/// <summary>
/// Reads the blob storage secret once the host has started, trying again until the sidecar answers, so that the
/// first download finds the store ready. An unusable secret is a deployment error: it is logged (by name) and stops
/// the app, so that it shows as a failing pod rather than a healthy one that cannot store anything.
/// </summary>
public sealed class BlobSecretLoader(SecretBlobStore store, IOptions<MediaSecretOptions> secret, TimeProvider time, ILogger<BlobSecretLoader> logger)
    : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var name = secret.Value.BlobConnectionStringSecret ?? string.Empty;
        var delay = StartupRetry.First;
        while (true)
        {
            try
            {
                await store.LoadAsync(stoppingToken);
                return;
            }
            catch (InvalidBlobSecretException e)
            {
                MediaDaprLog.SecretUnusable(logger, name, e.Message);
                throw;
            }
            catch (Exception e) when (!stoppingToken.IsCancellationRequested)
            {
                MediaDaprLog.SecretNotReadYet(logger, name, e.GetType().Name, delay);
            }

            await Task.Delay(delay, time, stoppingToken);
            delay = StartupRetry.Next(delay);
        }
    }
}
