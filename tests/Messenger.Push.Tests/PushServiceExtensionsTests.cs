using Messenger.Core.Domain;
using Messenger.Core.Events;
using Messenger.Core.Ports;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Moq;

namespace Messenger.Push.Tests;

public sealed class PushServiceExtensionsTests
{
    private static PushRequested Request(string messageId) => new(
        ["u_bob"], "c_1", ConversationType.Direct, null, "u_alice", "Alice", messageId, 1, "hi", null);

    [Fact]
    public async Task Without_configuration_there_is_no_sender_and_push_off_is_logged_once()
    {
        await using var host = await PushTestHost.StartAsync([]);

        Assert.Null(host.Services.GetService<IPushSender>());
        Assert.False(host.Handler.IsEnabled);
        await host.Handler.HandleAsync(Request("m_1"), CancellationToken.None);
        await host.Handler.HandleAsync(Request("m_2"), CancellationToken.None);

        Assert.Single(host.Logs.Entries, entry => entry.EventId.Id == 5001);
        host.Devices.Verify(store => store.ListAsync(It.IsAny<string>(), It.IsAny<CancellationToken>()), Times.Never);
    }

    [Fact]
    public async Task With_project_and_credentials_the_FCM_sender_is_registered()
    {
        await using var fcm = await FakeFcmServer.StartAsync();
        await using var host = await PushTestHost.StartAsync(PushTestHost.SettingsFor(fcm));

        Assert.IsType<FcmPushSender>(host.Sender);
        Assert.True(host.Handler.IsEnabled);
        Assert.DoesNotContain(host.Logs.Entries, entry => entry.EventId.Id == 5001);
    }

    [Fact]
    public async Task Project_without_credentials_fails_at_start()
    {
        var settings = new Dictionary<string, string?> { [FcmOptions.SectionName + ":ProjectId"] = "p" };

        var error = await Assert.ThrowsAsync<OptionsValidationException>(() => PushTestHost.StartAsync(settings));

        Assert.Contains("set both ProjectId and CredentialsFile", error.Message);
    }

    [Fact]
    public async Task A_credentials_file_that_is_not_a_service_account_key_fails_at_start_without_showing_its_content()
    {
        var file = Path.Combine(Path.GetTempPath(), $"fcm-bad-{Guid.NewGuid():N}.json");
        await File.WriteAllTextAsync(file, """{"type":"authorized_user","client_secret":"very-secret-value"}""");
        try
        {
            var settings = new Dictionary<string, string?>
            {
                [FcmOptions.SectionName + ":ProjectId"] = "p",
                [FcmOptions.SectionName + ":CredentialsFile"] = file,
            };

            var error = await Assert.ThrowsAsync<OptionsValidationException>(() => PushTestHost.StartAsync(settings));

            Assert.Contains("service_account", error.Message);
            Assert.DoesNotContain("very-secret-value", error.Message);
        }
        finally
        {
            File.Delete(file);
        }
    }

    [Fact]
    public async Task A_missing_credentials_file_fails_at_start()
    {
        var settings = new Dictionary<string, string?>
        {
            [FcmOptions.SectionName + ":ProjectId"] = "p",
            [FcmOptions.SectionName + ":CredentialsFile"] = Path.Combine(Path.GetTempPath(), $"absent-{Guid.NewGuid():N}.json"),
        };

        var error = await Assert.ThrowsAsync<OptionsValidationException>(() => PushTestHost.StartAsync(settings));

        Assert.Contains("cannot be read", error.Message);
    }

    [Fact]
    public void Defaults_are_the_documented_ones()
    {
        var options = new FcmOptions();

        Assert.Equal("https://fcm.googleapis.com", options.Endpoint);
        Assert.Equal(TimeSpan.FromSeconds(10), options.CollapseWindow);
        Assert.False(options.IsConfigured);
        Assert.Equal("Messenger:Push:Fcm", FcmOptions.SectionName);
    }
}
