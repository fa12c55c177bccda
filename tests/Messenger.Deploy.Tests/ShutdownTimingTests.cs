using System.Globalization;
using System.Text.Json.Nodes;

namespace Messenger.Deploy.Tests;

/// <summary>
/// Rollouts: daprd gets SIGTERM when the pod is deleted (it has no preStop hook) while the app first sleeps through its
/// preStop hook and then drains. <c>dapr.io/block-shutdown-duration</c> keeps daprd's API up meanwhile: it must cover
/// the preStop sleep and the app's drain, and the pod's grace period must cover the block and daprd's own graceful
/// shutdown, with a margin, or the kubelet kills both mid-drain.
/// </summary>
public sealed class ShutdownTimingTests
{
    /// <summary>Seconds between daprd's last step (graceful shutdown) and the kubelet's SIGKILL.</summary>
    private const long Margin = 5;

    /// <summary>Every Dapr app in every deployment's values (the chart's own and the reference deployment's).</summary>
    public static TheoryData<string, string> DaprApps()
    {
        var data = new TheoryData<string, string>();
        foreach (var file in ChartFiles.DeploymentValuesFiles)
        {
            foreach (var (id, app) in (JsonObject)ChartFiles.ValuesOf(file)["apps"]!)
            {
                if (app!["noSidecar"]?.GetValue<bool>() != true)
                {
                    data.Add(file, id);
                }
            }
        }

        return data;
    }

    public static TheoryData<string, string> AllApps()
    {
        var data = new TheoryData<string, string>();
        foreach (var file in ChartFiles.DeploymentValuesFiles)
        {
            foreach (var (id, _) in (JsonObject)ChartFiles.ValuesOf(file)["apps"]!)
            {
                data.Add(file, id);
            }
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(DaprApps))]
    public void The_sidecar_blocks_its_shutdown_through_the_apps_preStop_sleep_and_drain(string valuesFile, string appId)
    {
        var timing = Timing(valuesFile, appId);

        Assert.True(
            timing.Block >= timing.PreStop + timing.Drain,
            $"{valuesFile} {appId}: block-shutdown {timing.Block} s < preStop {timing.PreStop} s + DOTNET_SHUTDOWNTIMEOUTSECONDS {timing.Drain} s");
    }

    [Theory]
    [MemberData(nameof(DaprApps))]
    public void The_grace_period_covers_the_block_and_the_sidecars_graceful_shutdown(string valuesFile, string appId)
    {
        var timing = Timing(valuesFile, appId);

        Assert.True(
            timing.Grace >= timing.Block + timing.SidecarGraceful + Margin,
            $"{valuesFile} {appId}: terminationGracePeriodSeconds {timing.Grace} < block {timing.Block} + graceful {timing.SidecarGraceful} + {Margin}");
    }

    [Theory]
    [MemberData(nameof(AllApps))]
    public void The_grace_period_covers_the_apps_preStop_sleep_and_drain(string valuesFile, string appId)
    {
        var timing = Timing(valuesFile, appId);

        Assert.True(timing.Grace >= timing.PreStop + timing.Drain + Margin, $"{valuesFile} {appId}: grace {timing.Grace}");
    }

    [Theory]
    [InlineData("values.yaml")]
    [InlineData("values-reference.yaml")]
    public void The_gateways_sidecar_does_not_call_it_unhealthy_before_its_WebSockets_are_drained(string valuesFile)
    {
        // daprd's block ends as soon as the app reports unhealthy: once the app has stopped listening, that takes
        // threshold failed probes, one per interval.
        var gateway = ChartFiles.AppSettings(ChartFiles.ValuesOf(valuesFile), "gateway");
        var dapr = gateway["dapr"]!;
        var untilUnhealthy = dapr["appHealthThreshold"]!.GetValue<long>() * dapr["appHealthProbeSeconds"]!.GetValue<long>();

        Assert.True(untilUnhealthy >= Timing(valuesFile, "gateway").Drain, $"{untilUnhealthy} s");
    }

    [Theory]
    [InlineData("dapr.io/block-shutdown-duration: {{ printf \"%vs\" $app.dapr.blockShutdownSeconds | quote }}")]
    [InlineData("dapr.io/graceful-shutdown-seconds: {{ $app.dapr.gracefulShutdownSeconds | quote }}")]
    [InlineData("dapr.io/app-health-probe-interval: {{ $app.dapr.appHealthProbeSeconds | quote }}")]
    [InlineData("dapr.io/app-health-threshold: {{ $app.dapr.appHealthThreshold | quote }}")]
    [InlineData("terminationGracePeriodSeconds: {{ $app.terminationGracePeriodSeconds }}")]
    [InlineData("command: [\"sleep\", {{ $app.preStopSleepSeconds | quote }}]")]
    public void The_template_passes_the_timings_to_the_pod_and_the_sidecar(string expected)
    {
        Assert.Contains(expected, ChartFiles.Read("deploy", "helm", "messenger", "templates", "apps.yaml"), StringComparison.Ordinal);
    }

    [Fact]
    public void The_readme_describes_the_block_not_a_sidecar_that_outlives_SIGTERM_by_itself()
    {
        var readme = ChartFiles.Read("deploy", "README.md");

        Assert.Contains("dapr.io/block-shutdown-duration", readme, StringComparison.Ordinal);
        Assert.DoesNotContain("sidecar stays up", readme, StringComparison.Ordinal);
    }

    private static (long Grace, long PreStop, long Drain, long Block, long SidecarGraceful) Timing(string valuesFile, string appId)
    {
        var app = ChartFiles.AppSettings(ChartFiles.ValuesOf(valuesFile), appId);
        return (
            app["terminationGracePeriodSeconds"]!.GetValue<long>(),
            app["preStopSleepSeconds"]!.GetValue<long>(),
            long.Parse(app["env"]!["DOTNET_SHUTDOWNTIMEOUTSECONDS"]!.GetValue<string>(), CultureInfo.InvariantCulture),
            app["dapr"]!["blockShutdownSeconds"]!.GetValue<long>(),
            app["dapr"]!["gracefulShutdownSeconds"]!.GetValue<long>());
    }
}
