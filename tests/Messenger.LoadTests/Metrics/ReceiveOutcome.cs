namespace Messenger.LoadTests.Metrics;

/// <summary>How one received (conversationId, seq) relates to what the user had already seen.</summary>
public enum ReceiveOutcome
{
    InOrder,
    OutOfOrder,
    Duplicate,
}
