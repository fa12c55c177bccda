namespace Messenger.ReliabilityTests.Faults;

/// <summary>The figures of one crash test run, for its output and docs/reliability.md.</summary>
internal sealed class CrashStats
{
    public int Kills { get; set; }

    public int Verifications { get; set; }

    public long MessagesChecked { get; set; }

    public long Resynced { get; set; }
}
