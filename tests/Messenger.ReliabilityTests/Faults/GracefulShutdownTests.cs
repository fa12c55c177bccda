using System.Diagnostics;
using System.Net.WebSockets;
using Messenger.ReliabilityTests.Infrastructure;
using Xunit.Abstractions;

namespace Messenger.ReliabilityTests.Faults;

/// <summary>SIGTERM to the standalone host while clients are connected and sending, as an orchestrator stops it.</summary>
public sealed class GracefulShutdownTests(ITestOutputHelper output)
{
    private static readonly TimeSpan Prompt = TimeSpan.FromSeconds(10);

    [Fact]
    public async Task Sigterm_refuses_new_connections_exits_cleanly_and_loses_no_acknowledged_send()
    {
        // A short host shutdown timeout keeps this test quick whatever the drain does; durability must not depend on it.
        await using var run = await ShutdownRun.StartAsync(("DOTNET_shutdownTimeoutSeconds", "5"));
        var watch = Stopwatch.StartNew();
        await run.Host.TerminateAsync();

        // The signal is handled asynchronously: within a moment new connections are refused, and from then on every one.
        var refused = 0;
        while (!run.Host.HasExited && refused < 100)
        {
            try
            {
                await using var late = await WsClient.ConnectAsync(run.Host.BaseAddress, run.Idle.User.Token);
                Assert.True(refused == 0 && watch.Elapsed < TimeSpan.FromSeconds(2), $"a connection was accepted {watch.ElapsedMilliseconds} ms after SIGTERM, after {refused} were refused");
            }
            catch (Exception e) when (e is WebSocketException or HttpRequestException or OperationCanceledException)
            {
                refused++;
            }

            await Task.Delay(20);
        }

        Assert.True(await run.Host.WaitForExitAsync(TimeSpan.FromSeconds(40)), $"the host did not exit within 40 s of SIGTERM\n{run.Host.Output}");
        output.WriteLine($"host exited with {run.Host.ExitCode} after {watch.ElapsedMilliseconds} ms; {refused} connection attempts while it stopped, all refused");
        Assert.Equal(0, run.Host.ExitCode);
        var (acked, stored) = await run.RestartAndVerifyAsync();
        output.WriteLine($"acknowledged before SIGTERM: {acked}; stored: {stored}");
    }

    [Fact]
    public async Task Sigterm_closes_every_connection_with_1001_promptly()
    {
        await using var run = await ShutdownRun.StartAsync();
        var watch = Stopwatch.StartNew();
        await run.Host.TerminateAsync();
        var idle = await ShutdownRun.WaitClosedAsync(run.Idle.Socket, Prompt);
        output.WriteLine($"idle client closed with {idle?.ToString() ?? "no close frame"} after {watch.ElapsedMilliseconds} ms");
        Assert.Equal(WebSocketCloseStatus.EndpointUnavailable, idle);
        foreach (var device in run.Devices)
        {
            Assert.Equal(WebSocketCloseStatus.EndpointUnavailable, await ShutdownRun.WaitClosedAsync(device.Socket!, Prompt));
        }

        Assert.True(await run.Host.WaitForExitAsync(TimeSpan.FromSeconds(40)), $"the host did not exit within 40 s of SIGTERM\n{run.Host.Output}");
        Assert.True(watch.Elapsed < Prompt, $"the host took {watch.ElapsedMilliseconds} ms to stop after its clients were gone");
        await run.RestartAndVerifyAsync();
    }
}
