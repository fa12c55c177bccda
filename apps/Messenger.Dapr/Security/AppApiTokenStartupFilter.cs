using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Messenger.Dapr.Security;

/// <summary>
/// Puts <see cref="AppApiTokenMiddleware"/> in front of the whole pipeline of a Dapr app (before routing, so that no
/// endpoint, the SDK's actor endpoints included, runs for a refused request). Without a token (Development, Testing:
/// Production refuses to start) the sidecar's routes stay open, and that is logged once as a warning.
/// </summary>
internal sealed class AppApiTokenStartupFilter(IOptions<AppApiTokenOptions> options, ILogger<AppApiTokenMiddleware> logger) : IStartupFilter
{
    public Action<IApplicationBuilder> Configure(Action<IApplicationBuilder> next) => app =>
    {
        if (options.Value.IsSet)
        {
            app.UseMiddleware<AppApiTokenMiddleware>();
        }
        else
        {
            DaprLog.AppTokenUnset(logger);
        }

        next(app);
    };
}
