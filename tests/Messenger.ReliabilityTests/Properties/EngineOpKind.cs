namespace Messenger.ReliabilityTests.Properties;

public enum EngineOpKind
{
    Append,
    MoveCursor,
    AddMember,
    RemoveMember,
}
