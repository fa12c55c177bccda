using System.Globalization;
using System.Runtime.InteropServices;
using Messenger.Sidecar.Admin;
using Messenger.Sidecar.Components;
using Messenger.Sidecar.PubSub;
using Messenger.Sidecar.Daprd;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Logging;

namespace Messenger.Sidecar.Runner;

/// <summary>
/// The command line:
/// <c>up --file dapr.yaml [--entry APPID] [--admin-port N] [--ready-timeout SECONDS] [--free-ports] [broker switches]</c>
/// runs a multi-app run file (<c>--free-ports</c>: see <see cref="PortRemap"/>; <c>--stop-on-stdin-close</c>: stop
/// everything when standard input closes, so that the apps do not outlive the process that started the runner); <c>sidecar --app-id ID [--app-port N] [--dapr-http-port N] [--dapr-grpc-port N]
/// [--resources-path DIR] [--admin-port N] [broker switches]</c> runs one double alone, as daprd would run beside an
/// app started by hand. Broker switches: <c>--redelivery-rate 0..1</c>, <c>--delivery-concurrency N</c>,
/// <c>--max-delivery-delay-ms N</c>.
/// </summary>
public static class SidecarCommand
{
    private const string FreePortsSwitch = "--free-ports";
    private const string StopOnStdinCloseSwitch = "--stop-on-stdin-close";
    private const string Usage = """
        usage: Messenger.Sidecar up --file dapr.yaml [--entry APPID] [--admin-port N] [--ready-timeout SECONDS] [--free-ports]
                                    [--stop-on-stdin-close]
                                    [--redelivery-rate 0..1] [--delivery-concurrency N] [--max-delivery-delay-ms N]
               Messenger.Sidecar sidecar --app-id ID [--app-port N] [--dapr-http-port N] [--dapr-grpc-port N]
                                    [--resources-path DIR] [--admin-port N] [broker switches as above]
        """;

    public static async Task<int> RunAsync(string[] args)
    {
        if (args.Length == 0 || args[0] is not ("up" or "sidecar"))
        {
            await Console.Error.WriteLineAsync(Usage);
            return 2;
        }

        var freePorts = args.Contains(FreePortsSwitch);
        var stopOnStdinClose = args.Contains(StopOnStdinCloseSwitch);
        var config = new ConfigurationBuilder().AddCommandLine(args[1..].Where(a => a is not (FreePortsSwitch or StopOnStdinCloseSwitch)).ToArray()).Build();
        using var loggerFactory = LoggerFactory.Create(logging => logging
            .AddSimpleConsole(console =>
            {
                console.SingleLine = true;
                console.TimestampFormat = "HH:mm:ss.fff ";
            })
            .AddFilter("Microsoft", LogLevel.Warning)
            .AddFilter("System", LogLevel.Warning)
            .Services.Configure<Microsoft.Extensions.Logging.Console.ConsoleLoggerOptions>(o => o.LogToStandardErrorThreshold = LogLevel.Trace));
        using var stop = new CancellationTokenSource();
        using var sigterm = PosixSignalRegistration.Create(PosixSignal.SIGTERM, Cancel);
        using var sigint = PosixSignalRegistration.Create(PosixSignal.SIGINT, Cancel);
        if (stopOnStdinClose)
        {
            // A test run that starts the runner keeps its standard input open: if that run dies, so does the runner.
            _ = Task.Run(async () =>
            {
                try
                {
                    while (await Console.In.ReadLineAsync(stop.Token) is not null)
                    {
                    }

                    await stop.CancelAsync();
                }
                catch (Exception error) when (error is OperationCanceledException or ObjectDisposedException)
                {
                }
            });
        }

        try
        {
            var behavior = new BrokerBehavior(
                double.Parse(config["redelivery-rate"] ?? "0", CultureInfo.InvariantCulture),
                config["delivery-concurrency"] is { } concurrency ? int.Parse(concurrency, CultureInfo.InvariantCulture) : null,
                int.Parse(config["max-delivery-delay-ms"] ?? "0", CultureInfo.InvariantCulture)).Validate();
            var adminPort = int.Parse(config["admin-port"] ?? "0", CultureInfo.InvariantCulture);
            if (args[0] == "up")
            {
                var file = config["file"] ?? config["f"] ?? "dapr.yaml";
                var options = new RunnerOptions(file, config["entry"], adminPort, behavior, TimeSpan.FromSeconds(double.Parse(config["ready-timeout"] ?? "180", CultureInfo.InvariantCulture)), freePorts);
                return await MultiAppRunner.RunAsync(options, Console.Out, Console.Error, loggerFactory, stop.Token);
            }

            return await RunSidecarAsync(config, behavior, adminPort, loggerFactory, stop.Token);
        }
        catch (Exception error) when (error is FormatException or InvalidDataException or DirectoryNotFoundException or FileNotFoundException or ArgumentOutOfRangeException or YamlDotNet.Core.YamlException)
        {
            await Console.Error.WriteLineAsync($"error: {error.Message}");
            return 2;
        }

        void Cancel(PosixSignalContext context)
        {
            context.Cancel = true;
            stop.Cancel();
        }
    }

    private static async Task<int> RunSidecarAsync(IConfiguration config, BrokerBehavior behavior, int adminPort, ILoggerFactory loggerFactory, CancellationToken stop)
    {
        var appId = config["app-id"] ?? throw new InvalidDataException("--app-id is required.");
        int? Port(string name) => config[name] is { } value ? int.Parse(value, CultureInfo.InvariantCulture) : null;
        await using var infrastructure = new Infrastructure(loggerFactory);
        infrastructure.Broker.Behavior = behavior;
        var resources = config["resources-path"] is { } path ? ResourceSet.Load([Path.GetFullPath(path)]) : ResourceSet.Empty;
        await using var sidecar = await SidecarHost.StartAsync(new SidecarOptions
        {
            AppId = appId,
            AppPort = Port("app-port"),
            HttpPort = Port("dapr-http-port") ?? 3500,
            GrpcPort = Port("dapr-grpc-port") ?? 50001,
            Resources = resources,
            ApiToken = Environment.GetEnvironmentVariable("DAPR_API_TOKEN"),
            AppApiToken = Environment.GetEnvironmentVariable("APP_API_TOKEN"),
        }, infrastructure, stop);
        await using var admin = await AdminApi.StartAsync(infrastructure, adminPort, stop);
        await Console.Out.WriteLineAsync($"sidecar {appId} http {sidecar.HttpEndpoint.ToString().TrimEnd('/')} grpc {sidecar.GrpcEndpoint.ToString().TrimEnd('/')} admin {admin.Endpoint.ToString().TrimEnd('/')}");
        try
        {
            await Task.Delay(Timeout.Infinite, stop);
        }
        catch (OperationCanceledException)
        {
        }

        return 0;
    }
}
