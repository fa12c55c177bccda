using System.Globalization;

namespace Messenger.LoadTests.Metrics;

/// <summary>Reads CPU time, resident memory and the open-files limit of a process from /proc.</summary>
public static class ProcessStats
{
    private const double ClockTicksPerSecond = 100.0; // USER_HZ, 100 on every Linux ABI .NET runs on

    public static int CurrentPid => Environment.ProcessId;

    /// <summary>User plus system CPU seconds, or null when the process is gone.</summary>
    public static double? CpuSeconds(int pid)
    {
        var stat = TryRead($"/proc/{pid}/stat");
        if (stat is null)
        {
            return null;
        }

        // Fields after the command name (which may hold spaces) start at field 3 (state); utime is 14, stime 15.
        var fields = stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
        var utime = long.Parse(fields[11], CultureInfo.InvariantCulture);
        var stime = long.Parse(fields[12], CultureInfo.InvariantCulture);
        return (utime + stime) / ClockTicksPerSecond;
    }

    /// <summary>Resident set size in bytes (VmRSS), or null when the process is gone.</summary>
    public static long? RssBytes(int pid)
    {
        var status = TryRead($"/proc/{pid}/status");
        var line = status?.Split('\n').FirstOrDefault(l => l.StartsWith("VmRSS:", StringComparison.Ordinal));
        if (line is null)
        {
            return null;
        }

        var kib = line["VmRSS:".Length..].Trim().Split(' ')[0];
        return long.Parse(kib, CultureInfo.InvariantCulture) * 1024;
    }

    /// <summary>Soft limit on open files, or null when unknown.</summary>
    public static long? OpenFilesLimit(int pid)
    {
        var limits = TryRead($"/proc/{pid}/limits");
        var line = limits?.Split('\n').FirstOrDefault(l => l.StartsWith("Max open files", StringComparison.Ordinal));
        if (line is null)
        {
            return null;
        }

        var soft = line["Max open files".Length..].Trim().Split(' ', StringSplitOptions.RemoveEmptyEntries)[0];
        return long.TryParse(soft, NumberStyles.None, CultureInfo.InvariantCulture, out var value) ? value : null;
    }

    public static bool Exists(int pid) => File.Exists($"/proc/{pid}/stat");

    private static string? TryRead(string path)
    {
        try
        {
            return File.ReadAllText(path);
        }
        catch (IOException)
        {
            return null;
        }
        catch (UnauthorizedAccessException)
        {
            return null;
        }
    }
}
