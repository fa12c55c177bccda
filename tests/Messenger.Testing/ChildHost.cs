using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net;
using System.Text.RegularExpressions;

namespace Messenger.Testing;

/// <summary>
/// The standalone host as a real child process on 127.0.0.1 port 0, so that it can be killed for real: SIGKILL
/// (<see cref="Kill"/>) or SIGTERM (<see cref="TerminateAsync"/>). Its output is kept for the failure message.
/// </summary>
public sealed partial class ChildHost : IAsyncDisposable
{
    private const int MaxOutputLines = 400;
    private readonly Process process;
    private readonly ConcurrentQueue<string> output = new();
    private readonly TaskCompletionSource<Uri> listening = new(TaskCreationOptions.RunContinuationsAsynchronously);

    private ChildHost(Process process) => this.process = process;

    public Uri BaseAddress { get; private set; } = null!;

    /// <summary>The host's HTTP API (and WebSockets).</summary>
    public ApiClient Api => new(BaseAddress);

    public bool HasExited => process.HasExited;

    /// <summary>The host's process id, to read its memory from <c>/proc</c>.</summary>
    public int ProcessId => process.Id;

    public int ExitCode => process.ExitCode;

    /// <summary>The last lines the host wrote (stdout and stderr), for failure messages.</summary>
    public string Output => string.Join('\n', output);

    public static async Task<ChildHost> StartAsync(string dataDir, params (string Key, string Value)[] environment)
    {
        var start = new ProcessStartInfo("dotnet", [HostDll()])
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        start.Environment["ASPNETCORE_URLS"] = "http://127.0.0.1:0";
        start.Environment["ASPNETCORE_ENVIRONMENT"] = "Testing";
        start.Environment["Messenger__DataDir"] = dataDir;
        start.Environment["Logging__LogLevel__Default"] = "Warning";
        // The one Information line needed: "Now listening on: http://127.0.0.1:<port>".
        start.Environment["Logging__LogLevel__Microsoft.Hosting.Lifetime"] = "Information";
        start.Environment["Logging__Console__FormatterName"] = "simple";
        foreach (var (key, value) in environment)
        {
            start.Environment[key] = value;
        }

        var host = new ChildHost(Process.Start(start)!);
        host.process.OutputDataReceived += (_, e) => host.Keep(e.Data);
        host.process.ErrorDataReceived += (_, e) => host.Keep(e.Data);
        host.process.BeginOutputReadLine();
        host.process.BeginErrorReadLine();
        try
        {
            await host.WaitHealthyAsync();
        }
        catch
        {
            await host.DisposeAsync();
            throw;
        }

        return host;
    }

    /// <summary>SIGKILL: the process dies at once, with no chance to flush or close anything.</summary>
    public void Kill()
    {
        process.Kill(entireProcessTree: true);
        process.WaitForExit();
    }

    /// <summary>Sends SIGTERM, as an orchestrator stops a container; returns once the signal is sent.</summary>
    public async Task TerminateAsync()
    {
        using var kill = Process.Start(new ProcessStartInfo("kill", ["-TERM", process.Id.ToString(System.Globalization.CultureInfo.InvariantCulture)]) { UseShellExecute = false })!;
        await kill.WaitForExitAsync();
        if (kill.ExitCode != 0)
        {
            throw new InvalidOperationException($"kill -TERM {process.Id} exited with {kill.ExitCode}.");
        }
    }

    /// <summary>True once the process has exited, false if it is still running after <paramref name="wait"/>.</summary>
    public async Task<bool> WaitForExitAsync(TimeSpan wait)
    {
        using var timeout = new CancellationTokenSource(wait);
        try
        {
            await process.WaitForExitAsync(timeout.Token);
            return true;
        }
        catch (OperationCanceledException)
        {
            return false;
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (!process.HasExited)
        {
            process.Kill(entireProcessTree: true);
            await process.WaitForExitAsync();
        }

        process.Dispose();
    }

    private void Keep(string? line)
    {
        if (line is null)
        {
            return;
        }

        output.Enqueue(line);
        while (output.Count > MaxOutputLines)
        {
            output.TryDequeue(out _);
        }

        if (ListeningLine().Match(line) is { Success: true } match)
        {
            listening.TrySetResult(new Uri(match.Groups[1].Value));
        }
    }

    private async Task WaitHealthyAsync()
    {
        var deadline = Stopwatch.StartNew();
        var limit = TimeSpan.FromSeconds(60);
        var exited = process.WaitForExitAsync();
        var first = await Task.WhenAny(listening.Task, exited, Task.Delay(limit));
        if (first != listening.Task)
        {
            throw new InvalidOperationException(
                process.HasExited
                    ? $"The host exited with code {process.ExitCode} before it listened.\n{Output}"
                    : $"The host did not say where it listens within {limit.TotalSeconds} s.\n{Output}");
        }

        BaseAddress = await listening.Task;
        using var http = new HttpClient { BaseAddress = BaseAddress, Timeout = TimeSpan.FromSeconds(2) };
        while (deadline.Elapsed < limit)
        {
            if (process.HasExited)
            {
                throw new InvalidOperationException($"The host exited with code {process.ExitCode} before it was healthy.\n{Output}");
            }

            try
            {
                using var response = await http.GetAsync("/healthz");
                if (response.StatusCode == HttpStatusCode.OK)
                {
                    return;
                }
            }
            catch (Exception e) when (e is HttpRequestException or TaskCanceledException)
            {
            }

            await Task.Delay(50);
        }

        throw new TimeoutException($"The host did not become healthy within {limit.TotalSeconds} s.\n{Output}");
    }

    /// <summary>The standalone host's build output (same configuration and framework as this test build).</summary>
    private static string HostDll()
    {
        var testDir = new DirectoryInfo(AppContext.BaseDirectory);
        var configuration = testDir.Parent!.Name;
        var root = testDir;
        while (root is not null && !File.Exists(Path.Combine(root.FullName, "Messenger.sln")))
        {
            root = root.Parent;
        }

        var dll = Path.Combine(root!.FullName, "apps", "Messenger.Standalone", "bin", configuration, testDir.Name, "Messenger.Standalone.dll");
        return File.Exists(dll) ? dll : throw new FileNotFoundException("Build apps/Messenger.Standalone first.", dll);
    }

    [GeneratedRegex(@"Now listening on: (http://127\.0\.0\.1:\d+)")]
    private static partial Regex ListeningLine();
}
