namespace Messenger.Core.Domain;

/// <summary>A member's receipt cursors in one conversation. Both only move forward; read implies delivered.</summary>
public sealed record Cursor(long DeliveredSeq, long ReadSeq)
{
    public static Cursor Zero { get; } = new(0, 0);

    /// <summary>Moves the cursors forward to the given positions, clamped to <paramref name="lastSeq"/>.</summary>
    public Cursor Advance(long? delivered, long? read, long lastSeq)
    {
        var newRead = Math.Max(ReadSeq, Math.Min(read ?? 0, lastSeq));
        var newDelivered = Math.Max(Math.Max(DeliveredSeq, Math.Min(delivered ?? 0, lastSeq)), newRead);
        return newRead == ReadSeq && newDelivered == DeliveredSeq ? this : new Cursor(newDelivered, newRead);
    }
}
