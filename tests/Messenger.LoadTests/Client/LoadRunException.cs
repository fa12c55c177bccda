namespace Messenger.LoadTests.Client;

/// <summary>A run cannot go on (setup failed, a limit is too low); the message says why.</summary>
public sealed class LoadRunException(string message) : Exception(message);
