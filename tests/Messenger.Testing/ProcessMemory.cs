using System.Globalization;

namespace Messenger.Testing;

/// <summary>
/// The resident memory of a process, from Linux's <c>/proc/{pid}/status</c>: <c>VmRSS</c> now and <c>VmHWM</c>, the
/// peak since the last <see cref="ResetPeak"/> (writing 5 to <c>/proc/{pid}/clear_refs</c>). The peak catches what a
/// sample between two requests would miss. It is the whole process (managed heap, native buffers, code), in bytes.
/// </summary>
public static class ProcessMemory
{
    public static bool Available(int pid) => File.Exists(StatusPath(pid));

    public static long Resident(int pid) => Read(pid, "VmRSS:");

    public static long Peak(int pid) => Read(pid, "VmHWM:");

    /// <summary>Makes the peak start again from the current resident size.</summary>
    public static void ResetPeak(int pid) => File.WriteAllText($"/proc/{pid}/clear_refs", "5");

    private static string StatusPath(int pid) => $"/proc/{pid}/status";

    private static long Read(int pid, string field)
    {
        foreach (var line in File.ReadLines(StatusPath(pid)))
        {
            if (line.StartsWith(field, StringComparison.Ordinal))
            {
                var kib = line[field.Length..].Trim().Split(' ', StringSplitOptions.RemoveEmptyEntries)[0];
                return long.Parse(kib, CultureInfo.InvariantCulture) * 1024;
            }
        }

        throw new InvalidOperationException($"No {field} in {StatusPath(pid)}.");
    }
}
