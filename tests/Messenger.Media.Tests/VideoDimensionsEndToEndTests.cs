using System.Net;
using Messenger.Core.Domain;
using Messenger.Core.Ports;
using Messenger.Media.Storage;
using Messenger.Media.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;
using static Messenger.Media.Tests.VideoFiles;

namespace Messenger.Media.Tests;

/// <summary>A video uploaded through the app is measured after the upload, on the Azure Blob and the local-disk backends alike.</summary>
[Collection(AzuriteCollection.Name)]
public sealed class VideoDimensionsEndToEndTests(AzuriteFixture azurite)
{
    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task A_phone_video_with_its_moov_at_the_end_is_sent_with_its_display_size_once_processed(bool blobStorage)
    {
        await using var host = await MediaHost.StartAsync(
            blobStorage ? azurite.ConnectionString : null, "--Messenger:Media:BlockSize", (64 * 1024).ToString());
        var alice = await host.Api.RegisterAsync();
        var bob = await host.Api.RegisterAsync();
        var conversation = await host.Api.ConversationAsync(alice, "direct", bob);
        // Recorded upright on a phone: 1920x1080 pixels in a track turned by 90°, the moov behind 300 KB of media data.
        byte[] video = [.. Ftyp("isom"), .. Mdat(300_000), .. Moov(AudioTrak(), VideoTrak(1920, 1080, Rotated90))];

        var upload = await host.Api.UploadAsync(alice, video, "video/mp4", chunked: true);

        Assert.Equal(HttpStatusCode.Created, upload.Status);
        var store = host.Services.GetRequiredService<IMediaStore>();
        await Eventually.HoldsAsync(async () => (await store.GetAsync(upload.MediaId, default))?.Width is not null, "the video is measured", MediaWait.Background);
        var (status, message) = await host.Api.SendMediaAsync(alice, conversation, upload.MediaId);
        Assert.Equal(HttpStatusCode.Created, status);
        var media = message!["media"]!;
        Assert.Equal(("video/mp4", 1080, 1920), ((string?)media["contentType"], (int?)media["width"], (int?)media["height"]));
        var record = await store.GetAsync(upload.MediaId, default);
        Assert.Equal((ThumbnailState.None, (string?)null), (record!.Thumbnail, record.ThumbnailContentType));
        Assert.Equal(HttpStatusCode.NotFound, (await host.Api.DownloadAsync(bob, $"/api/media/{upload.MediaId}/thumbnail")).Status);
    }

    [Fact]
    public async Task A_webm_that_cannot_be_measured_keeps_null_dimensions_and_the_next_video_is_still_measured()
    {
        await using var host = await MediaHost.StartAsync(null);
        var alice = await host.Api.RegisterAsync();
        var unreadable = SampleMedia.Webm(50_000);
        var readable = VideoFiles.Webm(Info(), Element(TracksId, WebmAudioEntry(), WebmVideoEntry(720, 480, 853, 480)), Cluster());

        var first = await host.Api.UploadAsync(alice, unreadable, "video/webm");
        var second = await host.Api.UploadAsync(alice, readable, "video/webm");

        Assert.Equal((HttpStatusCode.Created, HttpStatusCode.Created), (first.Status, second.Status));
        var store = host.Services.GetRequiredService<IMediaStore>();
        await Eventually.HoldsAsync(async () => (await store.GetAsync(second.MediaId, default))?.Width is not null, "the second video is measured", MediaWait.Background);
        var measured = await store.GetAsync(second.MediaId, default);
        var unmeasured = await store.GetAsync(first.MediaId, default);
        Assert.Equal((853, 480), (measured!.Width, measured.Height));
        Assert.Equal((MediaStatus.Ready, null, null, ThumbnailState.None), (unmeasured!.Status, unmeasured.Width, unmeasured.Height, unmeasured.Thumbnail));
        var download = await host.Api.DownloadAsync(alice, $"/api/media/{first.MediaId}");
        Assert.Equal(SampleMedia.Sha256(unreadable), SampleMedia.Sha256(download.Body));
    }

    [Fact]
    public async Task A_video_left_unmeasured_when_the_process_stopped_is_measured_at_the_next_start()
    {
        var dataDir = TempDirectory.Create();
        const string mediaId = "md_leftover";
        byte[] video = [.. Ftyp("isom"), .. Moov(VideoTrak(640, 360)), .. Mdat(1_000)];
        try
        {
            await using (var first = await MediaHost.StartAsync(null, "--Messenger:DataDir", dataDir))
            {
                // As if the process stopped between storing the upload and measuring it: ready, its processing pending, nothing queued.
                var alice = await first.Api.RegisterAsync();
                var store = first.Services.GetRequiredService<IMediaStore>();
                var now = DateTimeOffset.UtcNow;
                await store.AddAsync(
                    new MediaRecord(mediaId, alice.UserId, MediaStatus.Uploading, "video/mp4", video.Length, null, null, null, ThumbnailState.None, null, now, now.AddMinutes(5), []),
                    default);
                await first.Services.GetRequiredService<IBlobStore>().WriteAsync(BlobNames.Original(mediaId), new MemoryStream(video), "video/mp4", default);
                Assert.True(await store.MarkReadyAsync(mediaId, MediaStatus.Uploading, new MediaContent("video/mp4", video.Length, SampleMedia.Sha256(video), null, null, ThumbnailState.Pending), null, default));
                Assert.Equal(HttpStatusCode.NotFound, (await first.Api.DownloadAsync(alice, $"/api/media/{mediaId}/thumbnail")).Status);
            }

            await using var second = await MediaHost.StartAsync(null, "--Messenger:DataDir", dataDir);
            var after = second.Services.GetRequiredService<IMediaStore>();

            await Eventually.HoldsAsync(async () => (await after.GetAsync(mediaId, default))?.Width is not null, "the leftover video is measured", MediaWait.Background);
            var record = await after.GetAsync(mediaId, default);
            Assert.Equal((640, 360, ThumbnailState.None), (record!.Width, record.Height, record.Thumbnail));
        }
        finally
        {
            TempDirectory.TryDelete(dataDir);
        }
    }
}
