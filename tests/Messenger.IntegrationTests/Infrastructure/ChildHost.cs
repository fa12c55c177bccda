using System.Diagnostics;
using System.Net;
using System.Net.Sockets;

namespace Messenger.IntegrationTests.Infrastructure;

/// <summary>The standalone host as a real child process, so that it can be killed for real (SIGKILL).</summary>
public sealed class ChildHost : IAsyncDisposable
{
    private readonly Process process;

    private ChildHost(Process process, Uri baseAddress)
    {
        this.process = process;
        BaseAddress = baseAddress;
    }

    public Uri BaseAddress { get; }

    public int ProcessId => process.Id;

    public static async Task<ChildHost> StartAsync(string dataDir, params (string Key, string Value)[] environment)
    {
        var port = FreePort();
        var start = new ProcessStartInfo("dotnet", [HostDll()])
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        start.Environment["ASPNETCORE_URLS"] = $"http://127.0.0.1:{port}";
        start.Environment["Messenger__DataDir"] = dataDir;
        start.Environment["Logging__LogLevel__Default"] = "Warning";
        foreach (var (key, value) in environment)
        {
            start.Environment[key] = value;
        }

        var process = Process.Start(start)!;
        process.OutputDataReceived += (_, _) => { };
        process.ErrorDataReceived += (_, _) => { };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        var host = new ChildHost(process, new Uri($"http://127.0.0.1:{port}"));
        await host.WaitHealthyAsync();
        return host;
    }

    public void Kill()
    {
        process.Kill(entireProcessTree: true);
        process.WaitForExit();
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

    private async Task WaitHealthyAsync()
    {
        using var http = new HttpClient { BaseAddress = BaseAddress, Timeout = TimeSpan.FromSeconds(2) };
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(60);
        while (DateTime.UtcNow < deadline)
        {
            if (process.HasExited)
            {
                throw new InvalidOperationException($"The host exited with code {process.ExitCode} before it was healthy.");
            }

            try
            {
                if ((await http.GetAsync("/healthz")).StatusCode == HttpStatusCode.OK)
                {
                    return;
                }
            }
            catch (Exception e) when (e is HttpRequestException or TaskCanceledException)
            {
            }

            await Task.Delay(100);
        }

        throw new TimeoutException("The host did not become healthy within 60 s.");
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    /// <summary>The standalone host's build output beside this test build (same configuration).</summary>
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
}
