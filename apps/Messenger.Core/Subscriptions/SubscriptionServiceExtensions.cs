using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace Messenger.Core.Subscriptions;

public static class SubscriptionServiceExtensions
{
    /// <summary>Subscribes <typeparamref name="THandler"/> (a singleton) to <paramref name="topic"/>, which also names the subscription.</summary>
    public static IServiceCollection AddSubscription<TEvent, THandler>(this IServiceCollection services, string topic, bool handsOff = false)
        where TEvent : class
        where THandler : class, IEventHandler<TEvent> =>
        services.AddSubscription<TEvent, THandler>(topic, _ => topic, handsOff);

    /// <summary>
    /// Subscribes <typeparamref name="THandler"/> (a singleton) to a topic that is known once the app's services are,
    /// under the stable <paramref name="name"/>.
    /// </summary>
    public static IServiceCollection AddSubscription<TEvent, THandler>(
        this IServiceCollection services, string name, Func<IServiceProvider, string> topic, bool handsOff = false)
        where TEvent : class
        where THandler : class, IEventHandler<TEvent>
    {
        services.TryAddSingleton<THandler>();
        services.AddSingleton(new Subscription(
            name,
            typeof(TEvent),
            topic,
            static (provider, @event, cancellationToken) => provider.GetRequiredService<THandler>().HandleAsync((TEvent)@event, cancellationToken),
            handsOff));
        return services;
    }
}
