using System.Runtime.InteropServices;
using Messenger.LoadTests.Cli;
using Messenger.LoadTests.Client;
using Spectre.Console;

using var stop = new CancellationTokenSource();
Console.CancelKeyPress += (_, e) =>
{
    e.Cancel = true;
    stop.Cancel();
};
using var terminate = PosixSignalRegistration.Create(PosixSignal.SIGTERM, signal =>
{
    signal.Cancel = true;
    stop.Cancel();
});

if (Console.IsOutputRedirected)
{
    // A file or a CI log has no width; keep the wide tables on one line each.
    AnsiConsole.Profile.Width = 220;
}

try
{
    var options = LoadOptions.Parse(args);
    return options.Scenario == ScenarioNames.Relay
        ? await RelayCommand.RunAsync(options, stop.Token)
        : await LoadRunner.RunAsync(options, args, stop.Token);
}
catch (LoadRunException ex)
{
    AnsiConsole.WriteLine(ex.Message);
    return 2;
}
catch (OperationCanceledException) when (stop.IsCancellationRequested)
{
    AnsiConsole.WriteLine("stopped");
    return 3;
}
