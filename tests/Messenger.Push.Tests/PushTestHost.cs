using Messenger.Core.Ports;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Moq;

namespace Messenger.Push.Tests;

/// <summary>A generic host with <c>AddPush()</c> as an app would build it, a mocked device store and captured logs.</summary>
internal sealed class PushTestHost : IAsyncDisposable
{
    private readonly IHost host;

    private PushTestHost(IHost host, Mock<IDeviceStore> devices, CapturingLoggerProvider logs)
    {
        this.host = host;
        Devices = devices;
        Logs = logs;
    }

    public Mock<IDeviceStore> Devices { get; }
    public CapturingLoggerProvider Logs { get; }
    public IServiceProvider Services => host.Services;
    public IPushSender Sender => host.Services.GetRequiredService<IPushSender>();
    public PushRequestHandler Handler => host.Services.GetRequiredService<PushRequestHandler>();

    /// <summary>Settings pointing at <paramref name="server"/>; retries wait 10 ms; collapsing is off unless set.</summary>
    public static Dictionary<string, string?> SettingsFor(FakeFcmServer server) => new()
    {
        [FcmOptions.SectionName + ":ProjectId"] = FakeFcmServer.ProjectId,
        [FcmOptions.SectionName + ":CredentialsFile"] = server.CredentialsFile,
        [FcmOptions.SectionName + ":Endpoint"] = server.Endpoint,
        [FcmOptions.SectionName + ":RetryBaseDelay"] = "00:00:00.010",
        [FcmOptions.SectionName + ":CollapseWindow"] = "00:00:00",
    };

    public static async Task<PushTestHost> StartAsync(Dictionary<string, string?> settings, TimeProvider? time = null)
    {
        var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { DisableDefaults = true });
        builder.Configuration.AddInMemoryCollection(settings);
        var logs = new CapturingLoggerProvider();
        builder.Logging.ClearProviders();
        builder.Logging.SetMinimumLevel(LogLevel.Trace);
        builder.Logging.AddProvider(logs);
        var devices = new Mock<IDeviceStore>();
        builder.Services.AddSingleton(devices.Object);
        if (time is not null)
        {
            builder.Services.AddSingleton(time);
        }

        builder.AddPush();
        var host = builder.Build();
        try
        {
            await host.StartAsync();
        }
        catch
        {
            host.Dispose();
            throw;
        }

        return new PushTestHost(host, devices, logs);
    }

    public async ValueTask DisposeAsync()
    {
        await host.StopAsync();
        host.Dispose();
    }
}
