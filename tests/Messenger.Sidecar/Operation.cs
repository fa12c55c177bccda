namespace Messenger.Sidecar;

/// <summary>What the doubles count, per app id (for per-message cost figures).</summary>
public enum Operation
{
    /// <summary>Keys read through the state API (a bulk read counts each key).</summary>
    StateRead,

    /// <summary>Keys written or deleted through the state API (a transaction counts each operation).</summary>
    StateWrite,

    /// <summary>State transactions (ExecuteStateTransaction).</summary>
    StateTransaction,

    /// <summary>Events published by the app.</summary>
    Publish,

    /// <summary>Events handed to the app and settled (success, drop or dead letter), redeliveries included.</summary>
    Delivery,

    /// <summary>HTTP requests to a subscription route (every retry counts).</summary>
    DeliveryAttempt,

    /// <summary>Events given up on and published to the dead-letter topic.</summary>
    DeadLetter,

    /// <summary>Events dropped (DROP, 404, or retries exhausted with no dead-letter topic).</summary>
    Drop,

    /// <summary>Events delivered again after they were acknowledged (broker behaviour switch).</summary>
    Redelivery,

    /// <summary>Actor method calls made by the app (through its sidecar).</summary>
    ActorCall,

    /// <summary>Actor state keys read by the actor runtime.</summary>
    ActorStateRead,

    /// <summary>Actor state operations written by the actor runtime.</summary>
    ActorStateWrite,

    /// <summary>Secret reads.</summary>
    SecretRead,
}
