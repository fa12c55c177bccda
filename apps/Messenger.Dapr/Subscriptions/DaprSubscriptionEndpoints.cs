using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;

namespace Messenger.Dapr.Subscriptions;

public static class DaprSubscriptionEndpoints
{
    /// <summary>
    /// Maps <c>GET /dapr/subscribe</c> (programmatic subscriptions: a gateway's topic name is known only once its
    /// instance id is) and returns the builder that adds the topics.
    /// </summary>
    public static DaprSubscriptionBuilder MapDaprSubscriptions(this IEndpointRouteBuilder endpoints)
    {
        var builder = new DaprSubscriptionBuilder(endpoints);
        endpoints.MapGet(DaprRoutes.Subscribe, () => Results.Json(builder.Subscriptions))
            .AllowAnonymous().ExcludeFromDescription().AddEndpointFilter<AppApiTokenFilter>();
        return builder;
    }
}
