using System.Runtime.InteropServices;

namespace Messenger.LoadTests.Reporting;

/// <summary>What the figures were measured on.</summary>
public sealed record MachineInfo(string Cpu, int Cores, long MemoryBytes, string Kernel, string Runtime)
{
    public static MachineInfo Current()
    {
        var cpu = ReadFirst("/proc/cpuinfo", "model name") ?? RuntimeInformation.ProcessArchitecture.ToString();
        var memKib = ReadFirst("/proc/meminfo", "MemTotal")?.Split(' ', StringSplitOptions.RemoveEmptyEntries)[0];
        var kernel = File.Exists("/proc/sys/kernel/osrelease") ? File.ReadAllText("/proc/sys/kernel/osrelease").Trim() : RuntimeInformation.OSDescription;
        return new MachineInfo(
            cpu,
            OnlineCores(),
            long.TryParse(memKib, out var kib) ? kib * 1024 : 0,
            kernel,
            RuntimeInformation.FrameworkDescription);
    }

    /// <summary>Cores of the machine, not of this process's affinity mask (the tool is often pinned with taskset).</summary>
    private static int OnlineCores() =>
        File.Exists("/proc/cpuinfo")
            ? Math.Max(1, File.ReadLines("/proc/cpuinfo").Count(l => l.StartsWith("processor", StringComparison.Ordinal)))
            : Environment.ProcessorCount;

    private static string? ReadFirst(string path, string key)
    {
        if (!File.Exists(path))
        {
            return null;
        }

        var line = File.ReadLines(path).FirstOrDefault(l => l.StartsWith(key, StringComparison.Ordinal));
        return line?[(line.IndexOf(':') + 1)..].Trim();
    }
}
