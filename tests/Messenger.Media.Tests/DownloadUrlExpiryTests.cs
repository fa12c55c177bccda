using System.Globalization;
using System.Net;
using System.Web;
using Messenger.Media.Tests.Infrastructure;

namespace Messenger.Media.Tests;

[Collection(AzuriteCollection.Name)]
public sealed class DownloadUrlExpiryTests(AzuriteFixture azurite)
{
    [Fact]
    public async Task Blob_storage_refuses_a_download_url_once_its_lifetime_is_over()
    {
        await using var host = await MediaHost.StartAsync(azurite.ConnectionString, "--Messenger:Media:DownloadUrlLifetime", "00:00:02");
        var alice = await host.Api.RegisterAsync();
        var photo = SampleMedia.Png(20, 20);
        var upload = await host.Api.UploadAsync(alice, photo, "image/png");
        using var redirect = await host.Api.GetWithoutRedirectAsync(alice, $"/api/media/{upload.MediaId}");
        var url = redirect.Headers.Location!;
        var expiresAt = DateTimeOffset.Parse(HttpUtility.ParseQueryString(url.Query)["se"]!, CultureInfo.InvariantCulture);
        using var http = new HttpClient();

        using (var fresh = await http.GetAsync(url))
        {
            Assert.Equal(HttpStatusCode.OK, fresh.StatusCode);
            Assert.Equal(SampleMedia.Sha256(photo), SampleMedia.Sha256(await fresh.Content.ReadAsByteArrayAsync()));
        }

        var refusedAt = DateTimeOffset.MinValue;
        await Eventually.HoldsAsync(
            async () =>
            {
                using var later = await http.GetAsync(url);
                refusedAt = DateTimeOffset.UtcNow;
                return later.StatusCode == HttpStatusCode.Forbidden;
            },
            "the expired url is refused",
            TimeSpan.FromSeconds(30));
        Assert.True(refusedAt >= expiresAt, $"refused at {refusedAt:O}, before its expiry {expiresAt:O}");
    }
}
