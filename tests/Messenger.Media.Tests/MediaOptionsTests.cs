using Messenger.Media.Tests.Infrastructure;
using Microsoft.Extensions.Options;

namespace Messenger.Media.Tests;

public sealed class MediaOptionsTests
{
    [Theory]
    [InlineData("not a connection string")]
    [InlineData("BlobEndpoint=http://127.0.0.1:9/devstoreaccount1;SharedAccessSignature=sv=2024-08-04&ss=b&sig=abc")]
    public async Task A_connection_string_that_cannot_sign_urls_stops_the_host_at_start(string connectionString)
    {
        var error = await Assert.ThrowsAsync<OptionsValidationException>(() => MediaHost.StartAsync(connectionString));

        Assert.Contains("BlobConnectionString", error.Message);
        Assert.DoesNotContain(connectionString, error.Message);
    }

    [Fact]
    public void Quota_unsent_lifetime_and_free_space_reserve_default_to_1_GiB_24_hours_and_1_GiB()
    {
        var options = new MediaOptions();

        Assert.Equal((1L << 30, TimeSpan.FromHours(24), 1L << 30), (options.UserQuota, options.UnsentLifetime, options.FreeSpaceReserve));
    }

    [Theory]
    [InlineData("DownloadUrlLifetime", "00:10:01")]
    [InlineData("ThumbnailSize", "321")]
    [InlineData("MaxImageBytes", "0")]
    [InlineData("UserQuota", "0")]
    [InlineData("UnsentLifetime", "00:00:00")]
    [InlineData("FreeSpaceReserve", "-1")]
    public async Task Settings_out_of_range_stop_the_host_at_start(string setting, string value)
    {
        var error = await Assert.ThrowsAsync<OptionsValidationException>(() => MediaHost.StartAsync(null, $"--Messenger:Media:{setting}", value));

        Assert.Contains(setting, error.Message);
    }
}
