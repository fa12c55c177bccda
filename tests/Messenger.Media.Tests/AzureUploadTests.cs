using System.Net;
using System.Web;
using Messenger.Core.Domain;
using Messenger.Core.Ports;
using Messenger.Media.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;
using SixLabors.ImageSharp;

namespace Messenger.Media.Tests;

/// <summary>Uploads through the app and downloads by redirect, with Azurite as the blob service.</summary>
[Collection(AzuriteCollection.Name)]
public sealed class AzureUploadTests(AzuriteFixture azurite) : IAsyncLifetime
{
    private const int ImageLimit = 300_000;
    private const int VideoLimit = 600_000;
    private MediaHost host = null!;

    public async Task InitializeAsync() => host = await MediaHost.StartAsync(
        azurite.ConnectionString,
        "--Messenger:Media:MaxImageBytes", ImageLimit.ToString(),
        "--Messenger:Media:MaxVideoBytes", VideoLimit.ToString(),
        "--Messenger:Media:BlockSize", (64 * 1024).ToString());

    public async Task DisposeAsync() => await host.DisposeAsync();

    [Fact]
    public async Task A_raw_upload_streamed_in_blocks_comes_back_byte_identical_through_a_short_lived_read_only_url()
    {
        var alice = await host.Api.RegisterAsync();
        var video = SampleMedia.Mp4(500_000);

        var upload = await host.Api.UploadAsync(alice, video, "application/octet-stream");

        Assert.Equal(HttpStatusCode.Created, upload.Status);
        var body = upload.Body!;
        Assert.Equal("video/mp4", (string?)body["contentType"]);
        Assert.Equal(video.Length, (long)body["size"]!);
        Assert.Null(body["width"]);
        Assert.Equal($"/api/media/{upload.MediaId}", (string?)body["url"]);
        Assert.Equal([$"{upload.MediaId}/original"], await azurite.BlobNamesAsync(host.Container!));
        var record = await host.Services.GetRequiredService<IMediaStore>().GetAsync(upload.MediaId, default);
        Assert.Equal((MediaStatus.Ready, alice.UserId, SampleMedia.Sha256(video)), (record!.Status, record.OwnerId, record.Sha256));

        using var redirect = await host.Api.GetWithoutRedirectAsync(alice, $"/api/media/{upload.MediaId}");
        Assert.Equal(HttpStatusCode.Redirect, redirect.StatusCode);
        Assert.True(redirect.Headers.CacheControl?.NoStore);
        var location = redirect.Headers.Location!;
        Assert.Equal(azurite.Port, location.Port);
        var sas = HttpUtility.ParseQueryString(location.Query);
        Assert.Equal("r", sas["sp"]);
        var expires = DateTimeOffset.Parse(sas["se"]!, System.Globalization.CultureInfo.InvariantCulture);
        Assert.InRange(expires, DateTimeOffset.UtcNow, DateTimeOffset.UtcNow.AddMinutes(10));

        var download = await host.Api.DownloadAsync(alice, $"/api/media/{upload.MediaId}");
        Assert.Equal(HttpStatusCode.OK, download.Status);
        Assert.Equal("video/mp4", download.ContentType);
        Assert.Equal(SampleMedia.Sha256(video), SampleMedia.Sha256(download.Body));
    }

    [Fact]
    public async Task A_multipart_upload_stores_only_its_file_part()
    {
        var alice = await host.Api.RegisterAsync();
        var photo = SampleMedia.Jpeg(640, 480);

        var upload = await host.Api.UploadMultipartAsync(alice, photo, "image/jpeg", "holiday.jpg");

        Assert.Equal(HttpStatusCode.Created, upload.Status);
        Assert.Equal(("image/jpeg", photo.Length, 640, 480), ((string?)upload.Body!["contentType"], (long)upload.Body["size"]!, (int)upload.Body["width"]!, (int)upload.Body["height"]!));
        var download = await host.Api.DownloadAsync(alice, $"/api/media/{upload.MediaId}");
        Assert.Equal(SampleMedia.Sha256(photo), SampleMedia.Sha256(download.Body));
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task An_image_past_the_image_limit_gets_413_and_leaves_no_blob_and_no_metadata(bool chunked)
    {
        var alice = await host.Api.RegisterAsync();
        var tooLarge = SampleMedia.Jpeg(64, 64).Concat(SampleMedia.Noise(ImageLimit, 9)).ToArray();

        var upload = await host.Api.UploadAsync(alice, tooLarge, "image/jpeg", chunked);

        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, upload.Status);
        Assert.Equal("too_large", (string?)upload.Body?["code"]);
        Assert.Empty(await azurite.BlobNamesAsync(host.Container!));
        Assert.Equal(0, host.MediaRecordCount());
    }

    [Fact]
    public async Task A_video_may_be_larger_than_the_image_limit_but_not_than_its_own()
    {
        var alice = await host.Api.RegisterAsync();

        var video = await host.Api.UploadAsync(alice, SampleMedia.QuickTime(ImageLimit + 1000), "video/quicktime", chunked: true);
        var tooLong = await host.Api.UploadAsync(alice, SampleMedia.Webm(VideoLimit + 1), "video/webm", chunked: true);

        Assert.Equal(HttpStatusCode.Created, video.Status);
        Assert.Equal("video/quicktime", (string?)video.Body!["contentType"]);
        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, tooLong.Status);
        Assert.Equal([$"{video.MediaId}/original"], await azurite.BlobNamesAsync(host.Container!));
        Assert.Equal(1, host.MediaRecordCount());
    }

    [Fact]
    public async Task Content_outside_the_allow_list_gets_415_whatever_its_content_type_says_and_leaves_nothing()
    {
        var alice = await host.Api.RegisterAsync();

        var html = await host.Api.UploadAsync(alice, SampleMedia.Html(), "image/jpeg");
        var heic = await host.Api.UploadAsync(alice, SampleMedia.IsoMedia("heic", 4096), "image/heic");
        var multipart = await host.Api.UploadMultipartAsync(alice, SampleMedia.Html(), "image/png", "cat.png");

        Assert.All([html, heic, multipart], u => Assert.Equal(HttpStatusCode.UnsupportedMediaType, u.Status));
        Assert.Empty(await azurite.BlobNamesAsync(host.Container!));
        Assert.Equal(0, host.MediaRecordCount());
    }

    [Fact]
    public async Task A_spoofed_content_type_is_ignored_the_bytes_decide_what_is_stored_and_served()
    {
        var alice = await host.Api.RegisterAsync();
        var png = SampleMedia.Png(50, 40);

        var upload = await host.Api.UploadAsync(alice, png, "image/jpeg");
        var gif = await host.Api.UploadAsync(alice, SampleMedia.Gif(10, 10), "video/mp4");

        Assert.Equal("image/png", (string?)upload.Body!["contentType"]);
        Assert.Equal("image/gif", (string?)gif.Body!["contentType"]);
        var download = await host.Api.DownloadAsync(alice, $"/api/media/{upload.MediaId}");
        Assert.Equal("image/png", download.ContentType);
    }

    [Fact]
    public async Task Only_the_uploader_and_current_members_of_a_conversation_it_was_sent_in_may_download_it()
    {
        var alice = await host.Api.RegisterAsync();
        var bob = await host.Api.RegisterAsync();
        var carol = await host.Api.RegisterAsync();
        var upload = await host.Api.UploadAsync(alice, SampleMedia.Png(400, 300), "image/png");
        var url = $"/api/media/{upload.MediaId}";
        await WaitForThumbnailAsync(alice, upload.MediaId);

        Assert.Equal(HttpStatusCode.NotFound, (await host.Api.DownloadAsync(bob, url)).Status);
        var group = await host.Api.ConversationAsync(alice, "group", bob);
        Assert.Equal(HttpStatusCode.NotFound, (await host.Api.DownloadAsync(bob, url)).Status);
        Assert.Equal(HttpStatusCode.NotFound, (await host.Api.SendMediaAsync(bob, group, upload.MediaId)).Status);

        Assert.Equal(HttpStatusCode.Created, (await host.Api.SendMediaAsync(alice, group, upload.MediaId)).Status);

        Assert.Equal(HttpStatusCode.OK, (await host.Api.DownloadAsync(bob, url)).Status);
        Assert.Equal(HttpStatusCode.OK, (await host.Api.DownloadAsync(bob, url + "/thumbnail")).Status);
        Assert.Equal(HttpStatusCode.NotFound, (await host.Api.DownloadAsync(carol, url)).Status);
        Assert.Equal(HttpStatusCode.NotFound, (await host.Api.DownloadAsync(carol, url + "/thumbnail")).Status);
        Assert.Equal(HttpStatusCode.NotFound, (await host.Api.DownloadAsync(carol, "/api/media/md_0000")).Status);

        Assert.Equal(HttpStatusCode.NoContent, await host.Api.RemoveMemberAsync(alice, group, bob));
        Assert.Equal(HttpStatusCode.NotFound, (await host.Api.DownloadAsync(bob, url)).Status);
        Assert.Equal(HttpStatusCode.OK, (await host.Api.DownloadAsync(alice, url)).Status);
    }

    [Fact]
    public async Task A_thumbnail_of_at_most_320_pixels_is_made_after_the_upload_and_the_dimensions_are_recorded()
    {
        var alice = await host.Api.RegisterAsync();
        var upload = await host.Api.UploadAsync(alice, SampleMedia.Png(1200, 800), "image/png");
        var turned = await host.Api.UploadAsync(alice, SampleMedia.Jpeg(400, 200, orientation: 6), "image/jpeg");

        Assert.Equal((1200, 800), ((int)upload.Body!["width"]!, (int)upload.Body["height"]!));
        Assert.Equal((200, 400), ((int)turned.Body!["width"]!, (int)turned.Body["height"]!));
        var thumbnail = await WaitForThumbnailAsync(alice, upload.MediaId);
        var turnedThumbnail = await WaitForThumbnailAsync(alice, turned.MediaId);

        Assert.Equal("image/webp", thumbnail.ContentType);
        var info = Image.Identify(thumbnail.Body);
        Assert.Equal((320, 213), (info.Width, info.Height));
        Assert.Equal("image/jpeg", turnedThumbnail.ContentType);
        var turnedInfo = Image.Identify(turnedThumbnail.Body);
        Assert.Equal((160, 320), (turnedInfo.Width, turnedInfo.Height));
        var record = await host.Services.GetRequiredService<IMediaStore>().GetAsync(upload.MediaId, default);
        Assert.Equal((ThumbnailState.Ready, 1200, 800), (record!.Thumbnail, record.Width, record.Height));
    }

    [Fact]
    public async Task A_video_has_no_thumbnail()
    {
        var alice = await host.Api.RegisterAsync();
        var upload = await host.Api.UploadAsync(alice, SampleMedia.Mp4(10_000), "video/mp4");

        var thumbnail = await host.Api.DownloadAsync(alice, $"/api/media/{upload.MediaId}/thumbnail");

        Assert.Equal(HttpStatusCode.NotFound, thumbnail.Status);
    }

    [Fact]
    public async Task An_upload_interrupted_midway_leaves_no_blob_and_no_metadata()
    {
        var alice = await host.Api.RegisterAsync();
        var video = SampleMedia.Mp4(VideoLimit);
        var container = azurite.CreateServiceClient().GetBlobContainerClient(host.Container);

        using (var upload = await InterruptedUpload.StartAsync(host, alice, video[..(VideoLimit / 2)], video.Length))
        {
            // The upload is under way: its record exists and blocks have been staged in blob storage.
            await Eventually.HoldsAsync(async () => host.MediaRecordCount() == 1 && (await azurite.BlobNamesAsync(host.Container!)).Count == 1, "the upload is under way", MediaWait.Background);
            upload.Abort();
        }

        await Eventually.HoldsAsync(async () => host.MediaRecordCount() == 0 && (await azurite.BlobNamesAsync(host.Container!)).Count == 0, "the upload left nothing", MediaWait.Background);
    }

    private async Task<(byte[] Body, string? ContentType)> WaitForThumbnailAsync(TestUser user, string mediaId)
    {
        (HttpStatusCode Status, byte[] Body, string? ContentType) thumbnail = default;
        await Eventually.HoldsAsync(
            async () => (thumbnail = await host.Api.DownloadAsync(user, $"/api/media/{mediaId}/thumbnail")).Status == HttpStatusCode.OK,
            "the thumbnail is there", MediaWait.Background);
        return (thumbnail.Body!, thumbnail.ContentType);
    }
}
