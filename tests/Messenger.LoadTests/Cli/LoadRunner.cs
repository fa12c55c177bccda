using System.Text.Json;
using System.Text.Json.Serialization;
using Messenger.LoadTests.Client;
using Messenger.LoadTests.Protocol;
using Messenger.LoadTests.Relay;
using Messenger.LoadTests.Reporting;
using Messenger.LoadTests.Scenarios;
using Spectre.Console;

namespace Messenger.LoadTests.Cli;

/// <summary>Runs a scenario against the messenger and/or the relay, prints the tables, writes the files.</summary>
public static class LoadRunner
{
    private static readonly TimeSpan HealthWait = TimeSpan.FromSeconds(15);

    public static async Task<int> RunAsync(LoadOptions options, IReadOnlyList<string> args, CancellationToken cancellationToken)
    {
        var startedAt = DateTimeOffset.UtcNow;
        var runs = new List<RunResult>();
        if (options.RunsMessenger)
        {
            var target = new TargetEndpoint(TargetEndpoint.MessengerName, options.Url, options.ServerPid, Gateways: options.WebSocketUrls);
            runs.AddRange(await RunTargetAsync(options, target, cancellationToken));
        }

        if (options.RunsRelay)
        {
            if (options.Scenario == ScenarioNames.Reconnect && !options.BaselineOnly)
            {
                AnsiConsole.MarkupLine("[yellow]reconnect has no baseline: the relay stores nothing, so it can recover nothing[/]");
            }
            else if (options.BaselineUrl is { } url)
            {
                runs.AddRange(await RunTargetAsync(options, new TargetEndpoint(TargetEndpoint.RelayName, url, options.BaselinePid), cancellationToken));
            }
            else
            {
                await using var relay = await RelayHost.StartAsync(0, cancellationToken);
                AnsiConsole.WriteLine($"in-process relay on {relay.Address} (its CPU is not separable from the tool's: use `relay` + --baseline-url/--baseline-pid for that)");
                runs.AddRange(await RunTargetAsync(options, new TargetEndpoint(TargetEndpoint.RelayName, relay.Address, null, InProcess: true), cancellationToken));
            }
        }

        var ratios = RatioCalculator.Compute(runs, TargetEndpoint.MessengerName, TargetEndpoint.RelayName);
        ResultTables.Print(runs, ratios);
        var passed = runs.Count > 0 && runs.All(r => r.Passed);
        if (options.Out is { } outPath)
        {
            var report = new LoadReport(options.Scenario, startedAt, string.Join(' ', args), MachineInfo.Current(), runs, ratios, passed);
            await WriteReportAsync(outPath, report, cancellationToken);
            AnsiConsole.WriteLine($"results written to {outPath}");
        }

        if (options.Scenario == ScenarioNames.Sweep)
        {
            var chart = options.Chart ?? "sweep.png";
            LatencyChart.Write(chart, runs);
            AnsiConsole.WriteLine($"chart written to {chart}");
        }

        AnsiConsole.MarkupLine(passed ? "[green]PASS[/]: nothing lost, duplicated or out of order" : "[red]FAIL[/]: see the problems above");
        return passed ? 0 : 1;
    }

    private static async Task<IReadOnlyList<RunResult>> RunTargetAsync(LoadOptions options, TargetEndpoint target, CancellationToken cancellationToken)
    {
        IScenario scenario = options.Scenario switch
        {
            ScenarioNames.Pairs => new PairsScenario(),
            ScenarioNames.Group => new GroupScenario(),
            ScenarioNames.Connections => new ConnectionsScenario(options),
            ScenarioNames.Reconnect => new ReconnectScenario(options),
            ScenarioNames.Sweep => new SweepScenario(),
            _ => throw new LoadRunException($"no scenario '{options.Scenario}'"),
        };
        using var context = new ScenarioContext(options, target, scenario.SourceAddresses);
        await WaitHealthyAsync(context, cancellationToken);
        await IdleWait.UntilIdleAsync(options.ServerPid, cancellationToken);
        await IdleWait.UntilIdleAsync(options.BaselinePid, cancellationToken);
        AnsiConsole.MarkupLine($"[bold]{Markup.Escape(options.Scenario)}[/] against [bold]{target.Name}[/] at {target.BaseUri} (users {context.RunPrefix}_*)");
        return await scenario.RunAsync(context, cancellationToken);
    }

    private static async Task WaitHealthyAsync(ScenarioContext context, CancellationToken cancellationToken)
    {
        var deadline = DateTime.UtcNow + HealthWait;
        while (!await context.Api.IsHealthyAsync(cancellationToken))
        {
            if (DateTime.UtcNow > deadline)
            {
                throw new LoadRunException($"{context.Target.Name} at {context.Target.BaseUri} does not answer {ApiPaths.Health}");
            }

            await Task.Delay(500, cancellationToken);
        }
    }

    private static async Task WriteReportAsync(string path, LoadReport report, CancellationToken cancellationToken)
    {
        var context = new LoadJsonContext(new JsonSerializerOptions(JsonSerializerDefaults.Web)
        {
            WriteIndented = true,
            DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
        });
        await using var stream = File.Create(path);
        await JsonSerializer.SerializeAsync(stream, report, context.LoadReport, cancellationToken);
    }
}
