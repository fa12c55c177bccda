using System.Collections;
using Messenger.Sidecar.Admin;
using Messenger.Sidecar.Components;
using Messenger.Sidecar.Daprd;
using Microsoft.Extensions.Logging;

namespace Messenger.Sidecar.Runner;

/// <summary>
/// <c>up</c>: runs every app of a dapr.yaml as its own process group (its command in its directory; environment =
/// the runner's + common env + app env + APP_ID, APP_PORT, DAPR_HTTP_PORT, DAPR_GRPC_PORT and their endpoints),
/// each beside a sidecar double of its own, all doubles in this process over one <see cref="Infrastructure"/>.
/// Prints <c>app ID pid PID url URL</c> per app, <c>admin URL</c>, then <c>ready URL</c> (the entry app) once every
/// app answers its health check; stops every process group when <paramref name="stop"/> fires.
/// </summary>
public static class MultiAppRunner
{
    private static readonly TimeSpan Grace = TimeSpan.FromSeconds(10);

    public static async Task<int> RunAsync(RunnerOptions options, TextWriter output, TextWriter log, ILoggerFactory loggerFactory, CancellationToken stop)
    {
        var file = RunFile.Load(options.File);
        if (options.FreePorts)
        {
            PortRemap.Apply(file, FreePort.Take);
        }

        var baseDirectory = Path.GetDirectoryName(Path.GetFullPath(options.File))!;
        var logger = loggerFactory.CreateLogger("Messenger.Sidecar.Runner");
        var entry = options.Entry is null ? file.Apps[0] : file.Apps.FirstOrDefault(a => a.AppId == options.Entry)
            ?? throw new InvalidDataException($"--entry {options.Entry}: no app with that id in {options.File}.");

        await using var infrastructure = new Infrastructure(loggerFactory);
        infrastructure.Broker.Behavior = options.Behavior;
        var sidecars = new List<SidecarHost>();
        var apps = new List<AppInstance>();
        try
        {
            var resourceSets = new Dictionary<string, ResourceSet>(StringComparer.Ordinal);
            foreach (var (spec, index) in file.Apps.Select((a, i) => (a, i)))
            {
                var name = file.Apps.Count(a => a.AppId == spec.AppId) > 1 ? $"{spec.AppId}-{file.Apps.Take(index + 1).Count(a => a.AppId == spec.AppId)}" : spec.AppId;
                var resources = spec.Resources(file.Common).Select(p => Path.GetFullPath(p, baseDirectory)).ToList();
                var resourceKey = string.Join('\n', resources);
                if (!resourceSets.TryGetValue(resourceKey, out var resourceSet))
                {
                    resourceSet = ResourceSet.Load(resources);
                    resourceSets[resourceKey] = resourceSet;
                }

                var appDirectory = Path.GetFullPath(spec.AppDirPath ?? ".", baseDirectory);
                var environment = Environment(file.Common, spec);
                var sidecar = await SidecarHost.StartAsync(new SidecarOptions
                {
                    AppId = spec.AppId,
                    InstanceName = name,
                    AppPort = spec.AppPort,
                    HttpPort = spec.DaprHttpPort ?? FreePort.Take(),
                    GrpcPort = spec.DaprGrpcPort ?? FreePort.Take(),
                    Resources = resourceSet,
                    AppDirectory = appDirectory,
                    // As the Dapr CLI starts daprd: with the environment of the run itself, not the run file's env
                    // (which reaches the apps only), so a token in the file would leave the sidecars without it.
                    ApiToken = System.Environment.GetEnvironmentVariable("DAPR_API_TOKEN"),
                    AppApiToken = System.Environment.GetEnvironmentVariable("APP_API_TOKEN"),
                    AppStartTimeout = options.ReadyTimeout,
                }, infrastructure, stop);
                sidecars.Add(sidecar);
                RunnerLog.SidecarStarted(logger, name, sidecar.HttpEndpoint, sidecar.GrpcEndpoint, spec.AppPort);

                environment["APP_ID"] = spec.AppId;
                environment["DAPR_HTTP_PORT"] = sidecar.Runtime.Options.HttpPort.ToString(System.Globalization.CultureInfo.InvariantCulture);
                environment["DAPR_GRPC_PORT"] = sidecar.Runtime.Options.GrpcPort.ToString(System.Globalization.CultureInfo.InvariantCulture);
                environment["DAPR_HTTP_ENDPOINT"] = sidecar.HttpEndpoint.ToString().TrimEnd('/');
                environment["DAPR_GRPC_ENDPOINT"] = sidecar.GrpcEndpoint.ToString().TrimEnd('/');
                if (spec.AppPort is { } appPort)
                {
                    environment["APP_PORT"] = appPort.ToString(System.Globalization.CultureInfo.InvariantCulture);
                }

                var app = new AppInstance(spec, name, appDirectory, environment, sidecar, log, logger);
                apps.Add(app);
                await app.StartAsync(stop);
                await output.WriteLineAsync($"app {spec.AppId} pid {app.Process!.Id} url {app.Url}");
            }

            await using var admin = await AdminApi.StartAsync(infrastructure, options.AdminPort, stop, new AppControl(apps, options.ReadyTimeout));
            await output.WriteLineAsync($"admin {admin.Endpoint.ToString().TrimEnd('/')}");

            if (!await WaitReadyAsync(apps, options.ReadyTimeout, logger, stop))
            {
                return stop.IsCancellationRequested ? 0 : 1;
            }

            await output.WriteLineAsync($"ready {apps[file.Apps.IndexOf(entry)].Url}");
            await output.FlushAsync(stop);
            try
            {
                await Task.Delay(Timeout.Infinite, stop);
            }
            catch (OperationCanceledException)
            {
            }

            return 0;
        }
        finally
        {
            RunnerLog.Stopping(logger, apps.Count);
            await Task.WhenAll(apps.Select(a => a.StopAsync(Grace, CancellationToken.None)));
            foreach (var app in apps)
            {
                await app.DisposeAsync();
            }

            foreach (var sidecar in sidecars)
            {
                await sidecar.DisposeAsync();
            }
        }
    }

    private static Dictionary<string, string> Environment(RunAppSpec common, RunAppSpec spec)
    {
        var environment = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (DictionaryEntry variable in System.Environment.GetEnvironmentVariables())
        {
            environment[(string)variable.Key] = (string?)variable.Value ?? string.Empty;
        }

        foreach (var (key, value) in (common.Env ?? []).Concat(spec.Env ?? []))
        {
            environment[key] = value;
        }


        return environment;
    }

    private static async Task<bool> WaitReadyAsync(List<AppInstance> apps, TimeSpan timeout, ILogger logger, CancellationToken stop)
    {
        var results = await Task.WhenAll(apps.Select(a => a.WaitHealthyAsync(timeout, stop)));
        if (results.All(r => r))
        {
            return true;
        }

        if (!stop.IsCancellationRequested)
        {
            RunnerLog.NotReady(logger, timeout, string.Join(", ", apps.Where((_, i) => !results[i]).Select(a => a.Running ? a.Name : $"{a.Name} (exited with code {a.Process?.ExitCode})")));
        }

        return false;
    }
}
