using System.Diagnostics;
using System.Runtime.InteropServices;

namespace Messenger.Sidecar.Runner;

/// <summary>
/// An app process started in a process group of its own (through <c>setsid</c>), so that stopping it stops whatever
/// it started too (<c>dotnet run</c> starts the app as its child): SIGTERM to the group, then SIGKILL after a grace
/// period. Its output is copied line by line, prefixed with its name, to the runner's standard error.
/// </summary>
public sealed partial class ChildProcess : IAsyncDisposable
{
    private const int SigKill = 9;
    private const int SigTerm = 15;
    private readonly Process process;
    private readonly Task pumps;

    private ChildProcess(Process process, string name, TextWriter log)
    {
        this.process = process;
        Name = name;
        pumps = Task.WhenAll(PumpAsync(process.StandardOutput, name, log), PumpAsync(process.StandardError, name, log));
    }

    public string Name { get; }

    public int Id => process.Id;

    public bool HasExited => process.HasExited;

    public int ExitCode => process.HasExited ? process.ExitCode : -1;

    public Task Exited => process.WaitForExitAsync();

    public static ChildProcess Start(IReadOnlyList<string> command, string workingDirectory, IReadOnlyDictionary<string, string> environment, string name, TextWriter log)
    {
        var info = new ProcessStartInfo("setsid")
        {
            WorkingDirectory = workingDirectory,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = true,
            UseShellExecute = false,
        };
        foreach (var part in command)
        {
            info.ArgumentList.Add(part);
        }

        info.Environment.Clear();
        foreach (var (key, value) in environment)
        {
            info.Environment[key] = value;
        }

        var process = Process.Start(info) ?? throw new InvalidOperationException($"Could not start {string.Join(' ', command)}.");
        process.StandardInput.Close();
        return new ChildProcess(process, name, log);
    }

    /// <summary>Stops the whole process group: SIGTERM, then SIGKILL to what is left after <paramref name="grace"/>.</summary>
    public async Task StopAsync(TimeSpan grace)
    {
        Signal(SigTerm);
        var deadline = DateTime.UtcNow + grace;
        while (GroupAlive() && DateTime.UtcNow < deadline)
        {
            await Task.Delay(50);
        }

        if (GroupAlive())
        {
            Signal(SigKill);
        }

        await process.WaitForExitAsync();
        await pumps;
    }

    /// <summary>SIGKILL to the whole process group at once (<c>kill -9</c>): nothing gets to flush or close.</summary>
    public async Task KillAsync()
    {
        Signal(SigKill);
        await process.WaitForExitAsync();
        await pumps;
    }

    public async ValueTask DisposeAsync()
    {
        if (GroupAlive())
        {
            await StopAsync(TimeSpan.FromSeconds(10));
        }

        process.Dispose();
    }

    private void Signal(int signal) => _ = Kill(-process.Id, signal);

    private bool GroupAlive() => Kill(-process.Id, 0) == 0;

    private static async Task PumpAsync(StreamReader reader, string name, TextWriter log)
    {
        while (await reader.ReadLineAsync() is { } line)
        {
            await log.WriteLineAsync($"== APP - {name} == {line}");
        }
    }

    [DllImport("libc", EntryPoint = "kill", SetLastError = true)]
    private static extern int Kill(int pid, int signal);
}
