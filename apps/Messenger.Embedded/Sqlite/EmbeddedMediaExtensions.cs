using Messenger.Core.Ports;
using Messenger.Core.Services;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace Messenger.Embedded.Sqlite;

public static class EmbeddedMediaExtensions
{
    /// <summary>
    /// Media metadata in the embedded database (<see cref="SqliteMediaStore"/>) and the catalog over it, which takes
    /// the place of the empty catalog whether this is called before or after <c>AddEmbeddedAdapters</c>.
    /// </summary>
    public static IServiceCollection AddEmbeddedMediaStore(this IServiceCollection services)
    {
        services.TryAddSingleton<IMediaStore, SqliteMediaStore>();
        services.RemoveAll<IMediaCatalog>();
        services.AddSingleton<IMediaCatalog, MediaCatalog>();
        return services;
    }
}
