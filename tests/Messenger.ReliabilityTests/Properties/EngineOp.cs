namespace Messenger.ReliabilityTests.Properties;

/// <summary>
/// One generated step on a conversation: <see cref="Actor"/> appends (with <see cref="ClientId"/>), moves its cursors,
/// or adds / removes <see cref="Target"/>. Users are indexes into a small pool, so that most steps collide.
/// </summary>
public sealed record EngineOp(EngineOpKind Kind, int Actor, int Target, string ClientId, long? Delivered, long? Read)
{
    public override string ToString() => Kind switch
    {
        EngineOpKind.Append => $"u{Actor} append {ClientId}",
        EngineOpKind.MoveCursor => $"u{Actor} cursor d={Delivered?.ToString() ?? "-"} r={Read?.ToString() ?? "-"}",
        EngineOpKind.AddMember => $"u{Actor} add u{Target}",
        _ => $"u{Actor} remove u{Target}",
    };
}
