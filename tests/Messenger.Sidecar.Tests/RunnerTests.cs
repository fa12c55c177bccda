using System.Diagnostics;
using System.Globalization;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Messenger.Sidecar.Tests.Apps;

namespace Messenger.Sidecar.Tests;

/// <summary><c>up</c> run as a process on a dapr.yaml written here: two tiny apps (each starting a grandchild of its
/// own), the printed lines, the environment the apps get, and SIGTERM stopping every process it started.</summary>
public sealed partial class RunnerTests : IDisposable
{
    private readonly string directory = Path.Combine(Path.GetTempPath(), "runner-tests-" + Guid.NewGuid().ToString("N"));

    public void Dispose() => Directory.Delete(directory, recursive: true);

    [Fact]
    public async Task Up_starts_every_app_beside_a_sidecar_prints_their_lines_and_sigterm_stops_every_process()
    {
        var (alphaPort, betaPort) = (FreePort.Take(), FreePort.Take());
        WriteRunFile(alphaPort, betaPort);
        var runner = StartRunner("--entry", "beta");
        var lines = new List<string>();
        try
        {
            using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));
            while (await runner.StandardOutput.ReadLineAsync(timeout.Token) is { } line)
            {
                lines.Add(line);
                if (line.StartsWith("ready ", StringComparison.Ordinal))
                {
                    break;
                }
            }

            var apps = lines.Select(l => AppLine().Match(l)).Where(m => m.Success).ToList();
            Assert.Equal(["alpha", "beta"], apps.Select(m => m.Groups["id"].Value));
            Assert.Equal([$"http://127.0.0.1:{alphaPort}", $"http://127.0.0.1:{betaPort}"], apps.Select(m => m.Groups["url"].Value));
            Assert.Contains(lines, l => l.StartsWith("admin http://127.0.0.1:", StringComparison.Ordinal));
            Assert.Equal($"ready http://127.0.0.1:{betaPort}", lines[^1]);

            var env = ReadEnv("alpha", alphaPort);
            Assert.Equal("alpha", env["APP_ID"]);
            Assert.Equal(alphaPort.ToString(CultureInfo.InvariantCulture), env["APP_PORT"]);
            Assert.Equal("common", env["COMMON_VAR"]);
            Assert.Equal("one", env["APP_VAR"]);
            Assert.Equal("tok", ReadEnv("beta", betaPort)["APP_API_TOKEN"]);
            using (var http = new HttpClient())
            {
                var health = await http.GetAsync(new Uri($"http://127.0.0.1:{env["DAPR_HTTP_PORT"]}/v1.0/healthz"));
                Assert.Equal(System.Net.HttpStatusCode.NoContent, health.StatusCode);
            }

            var pids = apps.Select(m => int.Parse(m.Groups["pid"].Value, CultureInfo.InvariantCulture))
                .Concat(Directory.GetFiles(directory, "grandchild-*.pid", SearchOption.AllDirectories).Select(f => int.Parse(File.ReadAllText(f).Trim(), CultureInfo.InvariantCulture)))
                .ToList();
            Assert.Equal(4, pids.Count);
            Assert.All(pids, pid => Assert.True(Alive(pid), $"process {pid} is not running"));

            Assert.Equal(0, Kill(runner.Id, 15));
            Assert.True(runner.WaitForExit(TimeSpan.FromSeconds(30)), "the runner did not stop on SIGTERM");
            Assert.Equal(0, runner.ExitCode);
            Assert.All(pids, pid => Assert.False(Alive(pid), $"process {pid} outlived the runner"));
        }
        finally
        {
            if (!runner.HasExited)
            {
                runner.Kill(entireProcessTree: true);
            }

            runner.Dispose();
        }
    }

    [Fact]
    public async Task Up_with_free_ports_moves_the_apps_and_the_urls_naming_them_and_the_admin_endpoint_kills_and_starts_an_app()
    {
        var (alphaPort, betaPort) = (FreePort.Take(), FreePort.Take());
        WriteRunFile(alphaPort, betaPort, peerOfAlpha: $"http://localhost:{betaPort}/x and http://db.example:{betaPort} and 127.0.0.1:10000");
        var runner = StartRunner("--free-ports");
        try
        {
            var lines = await ReadUntilReadyAsync(runner);
            var apps = lines.Select(l => AppLine().Match(l)).Where(m => m.Success).ToList();
            var (alphaUrl, betaUrl) = (new Uri(apps[0].Groups["url"].Value), new Uri(apps[1].Groups["url"].Value));
            Assert.DoesNotContain(alphaUrl.Port, new[] { alphaPort, betaPort });
            Assert.DoesNotContain(betaUrl.Port, new[] { alphaPort, betaPort });
            var env = ReadEnv("alpha", alphaUrl.Port);
            Assert.Equal(alphaUrl.Port.ToString(CultureInfo.InvariantCulture), env["APP_PORT"]);
            Assert.Equal($"http://127.0.0.1:{betaUrl.Port}/x and http://db.example:{betaPort} and 127.0.0.1:10000", env["PEER_URL"]);

            using var http = new HttpClient { BaseAddress = new Uri(lines.Single(l => l.StartsWith("admin ", StringComparison.Ordinal))["admin ".Length..]) };
            var listed = JsonNode.Parse(await http.GetStringAsync(new Uri("/apps", UriKind.Relative)))!.AsArray();
            Assert.Equal(["alpha", "beta"], listed.Select(a => (string?)a!["instance"]));
            Assert.All(listed, a => Assert.True((bool)a!["running"]!));

            var alphaPid = int.Parse(apps[0].Groups["pid"].Value, CultureInfo.InvariantCulture);
            var grandchild = int.Parse(File.ReadAllText(Path.Combine(directory, "alpha", $"grandchild-{alphaUrl.Port}.pid")).Trim(), CultureInfo.InvariantCulture);
            using (var killed = await http.PostAsync(new Uri("/apps/alpha/kill", UriKind.Relative), null))
            {
                Assert.Equal(System.Net.HttpStatusCode.OK, killed.StatusCode);
                var body = JsonNode.Parse(await killed.Content.ReadAsStringAsync())!;
                Assert.False((bool)body["running"]!);
                Assert.Equal(137, (int)body["exitCode"]!);
            }

            Assert.False(Alive(alphaPid), "the killed app is still running");
            await WaitAsync(() => !Alive(grandchild), "the killed app's grandchild is gone");
            using (var again = await http.PostAsync(new Uri("/apps/alpha/kill", UriKind.Relative), null))
            {
                Assert.Equal(System.Net.HttpStatusCode.Conflict, again.StatusCode);
            }

            using (var unknown = await http.PostAsync(new Uri("/apps/gamma/start", UriKind.Relative), null))
            {
                Assert.Equal(System.Net.HttpStatusCode.NotFound, unknown.StatusCode);
            }

            using (var started = await http.PostAsync(new Uri("/apps/alpha/start", UriKind.Relative), null))
            {
                Assert.Equal(System.Net.HttpStatusCode.OK, started.StatusCode);
                var body = JsonNode.Parse(await started.Content.ReadAsStringAsync())!;
                Assert.True((bool)body["running"]!);
                Assert.Equal(2, (int)body["starts"]!);
                Assert.NotEqual(alphaPid, (int)body["pid"]!);
            }

            using (var health = await new HttpClient().GetAsync(new Uri(alphaUrl, "/healthz")))
            {
                Assert.Equal(System.Net.HttpStatusCode.OK, health.StatusCode);
            }

            using (var running = await http.PostAsync(new Uri("/apps/alpha/start", UriKind.Relative), null))
            {
                Assert.Equal(System.Net.HttpStatusCode.Conflict, running.StatusCode);
            }

            Assert.Equal(0, Kill(runner.Id, 15));
            Assert.True(runner.WaitForExit(TimeSpan.FromSeconds(30)), "the runner did not stop on SIGTERM");
            Assert.Equal(0, runner.ExitCode);
        }
        finally
        {
            if (!runner.HasExited)
            {
                runner.Kill(entireProcessTree: true);
            }

            runner.Dispose();
        }
    }

    private static async Task<List<string>> ReadUntilReadyAsync(Process runner)
    {
        var lines = new List<string>();
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        while (await runner.StandardOutput.ReadLineAsync(timeout.Token) is { } line)
        {
            lines.Add(line);
            if (line.StartsWith("ready ", StringComparison.Ordinal))
            {
                break;
            }
        }

        return lines;
    }

    private static async Task WaitAsync(Func<bool> condition, string what)
    {
        var watch = Stopwatch.StartNew();
        while (!condition())
        {
            Assert.True(watch.Elapsed < TimeSpan.FromSeconds(10), $"timed out waiting until {what}");
            await Task.Delay(50);
        }
    }

    private void WriteRunFile(int alphaPort, int betaPort, string peerOfAlpha = "none")
    {
        Directory.CreateDirectory(Path.Combine(directory, "components"));
        Directory.CreateDirectory(Path.Combine(directory, "alpha"));
        Directory.CreateDirectory(Path.Combine(directory, "beta"));
        File.WriteAllText(Path.Combine(directory, "components", "statestore.yaml"), """
            apiVersion: dapr.io/v1alpha1
            kind: Component
            metadata:
              name: statestore
            spec:
              type: state.redis
              version: v1
              metadata:
                - name: actorStateStore
                  value: "true"
            """);
        const string command = """["bash", "-c", "sleep 300 & echo $! > grandchild-$APP_PORT.pid; exec dotnet \"$TINY_APP_DLL\" tiny-app"]""";
        File.WriteAllText(Path.Combine(directory, "dapr.yaml"), $"""
            version: 1
            common:
              resourcesPaths:
                - ./components
              env:
                COMMON_VAR: common
                TINY_APP_DLL: {typeof(TinyApp).Assembly.Location}
            apps:
              - appID: alpha
                appDirPath: ./alpha/
                appPort: {alphaPort}
                enableAppHealthCheck: true
                appHealthCheckPath: /healthz
                command: {command}
                env:
                  APP_VAR: one
                  PEER_URL: {peerOfAlpha}
              - appID: beta
                appDirPath: ./beta/
                appPort: {betaPort}
                command: {command}
                env:
                  APP_API_TOKEN: tok
            """);
    }

    private Process StartRunner(params string[] extra)
    {
        var info = new ProcessStartInfo("dotnet")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = false,
            UseShellExecute = false,
            WorkingDirectory = directory,
        };
        info.ArgumentList.Add(typeof(FreePort).Assembly.Location);
        info.ArgumentList.Add("up");
        info.ArgumentList.Add("--file");
        info.ArgumentList.Add(Path.Combine(directory, "dapr.yaml"));
        foreach (var arg in extra)
        {
            info.ArgumentList.Add(arg);
        }

        return Process.Start(info)!;
    }

    private Dictionary<string, string> ReadEnv(string app, int port) =>
        File.ReadAllLines(Path.Combine(directory, app, $"env-{app}-{port}.txt"))
            .Select(l => l.Split('=', 2))
            .ToDictionary(p => p[0], p => p[1]);

    private static bool Alive(int pid)
    {
        var stat = $"/proc/{pid}/stat";
        if (!File.Exists(stat))
        {
            return false;
        }

        try
        {
            var text = File.ReadAllText(stat);
            return text[(text.LastIndexOf(')') + 2)..][0] != 'Z';
        }
        catch (IOException)
        {
            return false;
        }
    }

    [System.Runtime.InteropServices.DllImport("libc", EntryPoint = "kill", SetLastError = true)]
    private static extern int Kill(int pid, int signal);

    [GeneratedRegex(@"^app (?<id>\S+) pid (?<pid>\d+) url (?<url>\S+)$")]
    private static partial Regex AppLine();
}
