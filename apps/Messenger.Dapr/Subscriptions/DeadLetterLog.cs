namespace Messenger.Dapr.Subscriptions;

/// <summary>
/// Marks the app that subscribes to the dead-letter topic and logs each event given up on elsewhere as an error (one
/// app does: the messages app).
/// </summary>
public sealed class DeadLetterLog;
