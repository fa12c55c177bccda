using Messenger.LoadTests.Metrics;
using Spectre.Console;

namespace Messenger.LoadTests.Scenarios;

/// <summary>
/// Waits until a server process has stopped using CPU, so a backlog left by one step (an overloaded server still
/// working through queued messages) does not run on the same core as the next step's measurement; over the sidecar
/// double, until the apps have stopped calling it (what connects set off, the presence of each user told to its
/// contacts, goes on after the WebSockets are open and would be counted against the next step's messages).
/// </summary>
public static class IdleWait
{
    /// <summary>Operations a second of the double that count as quiet (lease renewals and sweeps go on).</summary>
    private const long QuietOperations = 20;

    private const double IdleCpuShare = 0.05;
    private static readonly TimeSpan Window = TimeSpan.FromSeconds(1);
    private static readonly TimeSpan Longest = TimeSpan.FromSeconds(120);

    public static async Task UntilQuietAsync(ScenarioContext context, CancellationToken cancellationToken)
    {
        await UntilIdleAsync(context.Target.Pid, cancellationToken);
        if (context.Counters is not { } counters)
        {
            return;
        }

        var deadline = DateTime.UtcNow + Longest;
        var previous = await counters.TotalAsync(cancellationToken);
        var announced = false;
        while (DateTime.UtcNow < deadline)
        {
            await Task.Delay(Window, cancellationToken);
            var now = await counters.TotalAsync(cancellationToken);
            if (now - previous <= QuietOperations)
            {
                return;
            }

            if (!announced)
            {
                AnsiConsole.WriteLine($"waiting for the apps to go quiet ({now - previous} operations of the sidecar double in the last second)");
                announced = true;
            }

            previous = now;
        }

        AnsiConsole.WriteLine($"the apps still busy after {Longest.TotalSeconds:0} s; going on");
    }

    public static async Task UntilIdleAsync(int? pid, CancellationToken cancellationToken)
    {
        if (pid is not { } id || ProcessStats.CpuSeconds(id) is not { } previous)
        {
            return;
        }

        var deadline = DateTime.UtcNow + Longest;
        var announced = false;
        while (DateTime.UtcNow < deadline)
        {
            await Task.Delay(Window, cancellationToken);
            if (ProcessStats.CpuSeconds(id) is not { } now)
            {
                return;
            }

            if (now - previous < IdleCpuShare * Window.TotalSeconds)
            {
                return;
            }

            if (!announced)
            {
                AnsiConsole.WriteLine($"waiting for pid {id} to go idle ({now - previous:0.00} CPU s in the last second)");
                announced = true;
            }

            previous = now;
        }

        AnsiConsole.WriteLine($"pid {id} still busy after {Longest.TotalSeconds:0} s; going on");
    }
}
