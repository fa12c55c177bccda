namespace Messenger.LoadTests.Metrics;

/// <summary>CPU seconds and RSS of a process at one moment.</summary>
public sealed record ProcessSnapshot(double CpuSeconds, long RssBytes)
{
    public static ProcessSnapshot? Take(int? pid) =>
        pid is { } id && ProcessStats.CpuSeconds(id) is { } cpu && ProcessStats.RssBytes(id) is { } rss
            ? new ProcessSnapshot(cpu, rss)
            : null;
}
