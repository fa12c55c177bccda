using Messenger.LoadTests.Relay;
using Spectre.Console;

namespace Messenger.LoadTests.Cli;

/// <summary><c>relay</c>: the bare relay as its own process (so it can be pinned with taskset), until stopped or its lifetime ends.</summary>
public static class RelayCommand
{
    public static async Task<int> RunAsync(LoadOptions options, CancellationToken cancellationToken)
    {
        await using var host = await RelayHost.StartAsync(options.RelayPort, cancellationToken);
        AnsiConsole.WriteLine($"relay listening on {host.Address} (pid {Environment.ProcessId}), stops after {options.RelayLifetimeSeconds:0} s or Ctrl+C");
        try
        {
            await Task.Delay(TimeSpan.FromSeconds(options.RelayLifetimeSeconds), cancellationToken);
        }
        catch (OperationCanceledException)
        {
            // Ctrl+C or SIGTERM.
        }

        return 0;
    }
}
