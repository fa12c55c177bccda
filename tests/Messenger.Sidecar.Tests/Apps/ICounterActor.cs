using Dapr.Actors;

namespace Messenger.Sidecar.Tests.Apps;

public interface ICounterActor : IActor
{
    /// <summary>Adds one to the actor's state "count" and returns it.</summary>
    Task<int> IncrementAsync();

    /// <summary>Holds the turn for a while; records whether another call to the same actor id ran meanwhile.</summary>
    Task<string> HoldAsync(int milliseconds);

    /// <summary>The name of the app instance hosting the actor.</summary>
    Task<string> WhereAsync();
}
