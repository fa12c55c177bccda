using Messenger.Sidecar.Daprd;
using Microsoft.Extensions.Logging;

namespace Messenger.Sidecar.Runner;

/// <summary>
/// One app of a run: its entry in the run file, its instance name (the app id, or <c>ID-N</c> when several entries
/// share it), the environment and directory it is started with, its sidecar double and its current process. The
/// process can be killed and started again (the admin endpoint's <c>/apps</c>) while the sidecar stays up, as a
/// container restarts beside a daprd that keeps running.
/// </summary>
public sealed class AppInstance(RunAppSpec spec, string name, string directory, IReadOnlyDictionary<string, string> environment, SidecarHost sidecar, TextWriter log, ILogger logger)
    : IAsyncDisposable
{
    private readonly SemaphoreSlim gate = new(1, 1);
    private volatile bool exitRequested;

    public RunAppSpec Spec { get; } = spec;

    public string Name { get; } = name;

    public SidecarHost Sidecar { get; } = sidecar;

    public ChildProcess? Process { get; private set; }

    /// <summary>How many times the process was started.</summary>
    public int Starts { get; private set; }

    public bool Running => Process is { HasExited: false };

    public string Url => Spec.AppPort is { } port ? $"http://127.0.0.1:{port}" : "-";

    /// <summary>Starts the process; false when it is already running.</summary>
    public async Task<bool> StartAsync(CancellationToken cancellationToken)
    {
        await gate.WaitAsync(cancellationToken);
        try
        {
            if (Running)
            {
                return false;
            }

            if (Process is { } previous)
            {
                await previous.DisposeAsync();
            }

            exitRequested = false;
            var process = ChildProcess.Start(Spec.Command, directory, environment, Name, log);
            Process = process;
            Starts++;
            _ = WatchAsync(process);
            return true;
        }
        finally
        {
            gate.Release();
        }
    }

    /// <summary>Stops the process group: SIGKILL at once (<paramref name="grace"/> zero, as <c>kill -9</c>), or SIGTERM
    /// and SIGKILL after the grace period. False when it was not running.</summary>
    public async Task<bool> StopAsync(TimeSpan grace, CancellationToken cancellationToken)
    {
        await gate.WaitAsync(cancellationToken);
        try
        {
            if (Process is not { } process || process.HasExited)
            {
                return false;
            }

            exitRequested = true;
            if (grace <= TimeSpan.Zero)
            {
                await process.KillAsync();
            }
            else
            {
                await process.StopAsync(grace);
            }

            return true;
        }
        finally
        {
            gate.Release();
        }
    }

    private async Task WatchAsync(ChildProcess process)
    {
        await process.Exited;
        if (!exitRequested)
        {
            RunnerLog.AppExited(logger, Name, process.Id, process.ExitCode);
        }
    }

    /// <summary>Whether the app answers its health check (its port accepts a connection when none is configured).</summary>
    public async Task<bool> HealthyAsync(HttpClient http, CancellationToken cancellationToken)
    {
        if (Spec.AppPort is not { } port)
        {
            return true;
        }

        try
        {
            if (Spec.EnableAppHealthCheck == true)
            {
                using var response = await http.GetAsync(new Uri($"http://127.0.0.1:{port}{Spec.AppHealthCheckPath ?? "/healthz"}"), cancellationToken);
                return response.IsSuccessStatusCode;
            }

            using var client = new System.Net.Sockets.TcpClient();
            await client.ConnectAsync(System.Net.IPAddress.Loopback, port, cancellationToken);
            return true;
        }
        catch (Exception error) when (error is HttpRequestException or System.Net.Sockets.SocketException || (error is TaskCanceledException && !cancellationToken.IsCancellationRequested))
        {
            return false;
        }
    }

    /// <summary>Waits until the app answers its health check; false when its process exits first or time runs out.</summary>
    public async Task<bool> WaitHealthyAsync(TimeSpan timeout, CancellationToken cancellationToken)
    {
        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(2) };
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        deadline.CancelAfter(timeout);
        try
        {
            while (true)
            {
                if (Process is not { HasExited: false })
                {
                    return false;
                }

                if (Sidecar.Connected.IsCompleted && Sidecar.Runtime.Ready && await HealthyAsync(http, deadline.Token))
                {
                    return true;
                }

                await Task.Delay(100, deadline.Token);
            }
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            RunnerLog.NotReady(logger, timeout, Name);
            return false;
        }
    }

    /// <summary>Disposes the (stopped) process and the start/stop gate.</summary>
    public async ValueTask DisposeAsync()
    {
        if (Process is { } process)
        {
            await process.DisposeAsync();
        }

        gate.Dispose();
    }
}
