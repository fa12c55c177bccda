using System.Net;
using System.Net.Http.Headers;
using Messenger.Core.Ports;
using Messenger.Media.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;
using SixLabors.ImageSharp;

namespace Messenger.Media.Tests;

/// <summary>The embedded default: blobs on the local disk under the data directory, downloads streamed by the app.</summary>
public sealed class LocalDiskMediaTests : IAsyncLifetime
{
    private const int ImageLimit = 300_000;
    private MediaHost host = null!;

    public async Task InitializeAsync() =>
        host = await MediaHost.StartAsync(null, "--Messenger:Media:MaxImageBytes", ImageLimit.ToString(), "--Messenger:Media:MaxVideoBytes", "600000");

    public async Task DisposeAsync() => await host.DisposeAsync();

    [Fact]
    public async Task An_upload_is_kept_under_the_data_directory_and_streamed_back_byte_identical_by_the_app()
    {
        var alice = await host.Api.RegisterAsync();
        var video = SampleMedia.Webm(400_000);

        var upload = await host.Api.UploadAsync(alice, video, "video/webm", chunked: true);

        Assert.Equal(HttpStatusCode.Created, upload.Status);
        Assert.Equal(("video/webm", video.Length), ((string?)upload.Body!["contentType"], (long)upload.Body["size"]!));
        Assert.Equal([Path.Combine(host.MediaDirectory, upload.MediaId, "original")], host.MediaFiles());
        using var response = await host.Api.GetWithoutRedirectAsync(alice, $"/api/media/{upload.MediaId}");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("video/webm", response.Content.Headers.ContentType?.MediaType);
        Assert.Equal("nosniff", response.Headers.GetValues("X-Content-Type-Options").Single());
        Assert.Equal(SampleMedia.Sha256(video), SampleMedia.Sha256(await response.Content.ReadAsByteArrayAsync()));
    }

    [Fact]
    public async Task A_range_of_a_video_can_be_fetched_for_seeking()
    {
        var alice = await host.Api.RegisterAsync();
        var video = SampleMedia.Mp4(100_000);
        var upload = await host.Api.UploadAsync(alice, video, "video/mp4");
        using var http = host.CreateClient(alice.Token);
        using var request = new HttpRequestMessage(HttpMethod.Get, $"/api/media/{upload.MediaId}");
        request.Headers.Range = new RangeHeaderValue(1000, 1999);

        using var response = await http.SendAsync(request);

        Assert.Equal(HttpStatusCode.PartialContent, response.StatusCode);
        Assert.Equal(video[1000..2000], await response.Content.ReadAsByteArrayAsync());
    }

    [Fact]
    public async Task Refused_uploads_leave_no_file_and_no_metadata()
    {
        var alice = await host.Api.RegisterAsync();

        var tooLarge = await host.Api.UploadAsync(alice, [.. SampleMedia.Png(16, 16), .. SampleMedia.Noise(ImageLimit, 4)], "image/png", chunked: true);
        var html = await host.Api.UploadAsync(alice, SampleMedia.Html(), "image/png");

        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, tooLarge.Status);
        Assert.Equal(HttpStatusCode.UnsupportedMediaType, html.Status);
        Assert.Empty(host.MediaFiles());
        Assert.Empty(Directory.GetDirectories(host.MediaDirectory));
        Assert.Equal(0, host.MediaRecordCount());
    }

    [Fact]
    public async Task An_upload_interrupted_midway_leaves_no_file_and_no_metadata()
    {
        var alice = await host.Api.RegisterAsync();
        var video = SampleMedia.Mp4(500_000);

        using (var upload = await InterruptedUpload.StartAsync(host, alice, video[..250_000], video.Length))
        {
            await Eventually.HoldsAsync(() => Task.FromResult(host.MediaRecordCount() == 1 && host.MediaFiles().Count == 1), "the upload is under way", MediaWait.Background);
            upload.Abort();
        }

        await Eventually.HoldsAsync(() => Task.FromResult(host.MediaRecordCount() == 0 && host.MediaFiles().Count == 0), "the upload left nothing", MediaWait.Background);
    }

    [Fact]
    public async Task Downloads_stream_only_to_the_uploader_and_members_and_include_the_thumbnail()
    {
        var alice = await host.Api.RegisterAsync();
        var bob = await host.Api.RegisterAsync();
        var carol = await host.Api.RegisterAsync();
        var photo = SampleMedia.Jpeg(1000, 500);
        var upload = await host.Api.UploadAsync(alice, photo, "image/jpeg");
        var conversation = await host.Api.ConversationAsync(alice, "direct", bob);
        Assert.Equal(HttpStatusCode.NotFound, (await host.Api.DownloadAsync(bob, $"/api/media/{upload.MediaId}")).Status);

        Assert.Equal(HttpStatusCode.Created, (await host.Api.SendMediaAsync(alice, conversation, upload.MediaId)).Status);

        var download = await host.Api.DownloadAsync(bob, $"/api/media/{upload.MediaId}");
        Assert.Equal(HttpStatusCode.OK, download.Status);
        Assert.Equal(SampleMedia.Sha256(photo), SampleMedia.Sha256(download.Body));
        Assert.Equal(HttpStatusCode.NotFound, (await host.Api.DownloadAsync(carol, $"/api/media/{upload.MediaId}")).Status);
        (HttpStatusCode Status, byte[] Body, string? ContentType) thumbnail = default;
        await Eventually.HoldsAsync(
            async () => (thumbnail = await host.Api.DownloadAsync(bob, $"/api/media/{upload.MediaId}/thumbnail")).Status == HttpStatusCode.OK,
            "the thumbnail is there", MediaWait.Background);
        Assert.Equal("image/jpeg", thumbnail.ContentType);
        var info = Image.Identify(thumbnail.Body);
        Assert.Equal((320, 160), (info.Width, info.Height));
        Assert.Equal(HttpStatusCode.NotFound, (await host.Api.DownloadAsync(carol, $"/api/media/{upload.MediaId}/thumbnail")).Status);
    }

    [Fact]
    public async Task A_photo_deleted_for_everyone_can_no_longer_be_fetched_and_is_due_for_the_sweep()
    {
        var alice = await host.Api.RegisterAsync();
        var bob = await host.Api.RegisterAsync();
        var upload = await host.Api.UploadAsync(alice, SampleMedia.Jpeg(200, 100), "image/jpeg");
        var conversation = await host.Api.ConversationAsync(alice, "direct", bob);
        var sent = await host.Api.SendMediaAsync(alice, conversation, upload.MediaId);
        Assert.Equal(HttpStatusCode.OK, (await host.Api.DownloadAsync(bob, $"/api/media/{upload.MediaId}")).Status);

        var (status, _) = await host.Api.DeleteIdempotentAsync(alice, $"/api/conversations/{conversation}/messages/{(long)sent.Body!["seq"]!}", "d1");

        Assert.Equal(HttpStatusCode.Created, status);
        Assert.Equal(HttpStatusCode.NotFound, (await host.Api.DownloadAsync(bob, $"/api/media/{upload.MediaId}")).Status);
        var record = await host.Services.GetRequiredService<IMediaStore>().GetAsync(upload.MediaId, default);
        Assert.Empty(record!.ConversationIds);
        Assert.NotNull(record.PendingUntil);
        var history = await host.Api.HistoryAsync(bob, conversation);
        Assert.Null(history[0]["media"]);
        Assert.True((bool)history[0]["deleted"]!);
    }

    [Fact]
    public async Task The_openapi_document_describes_the_message_change_endpoints()
    {
        using var http = host.CreateClient();

        var document = await http.GetStringAsync("/openapi/v1.json");

        Assert.Contains("\"/api/conversations/{conversationId}/messages/{seq}/reactions\"", document);
        Assert.Contains("\"/api/conversations/{conversationId}/messages/{seq}/hide\"", document);
        Assert.Contains("\"patch\"", document);
    }

    [Fact]
    public async Task Direct_upload_says_it_needs_blob_storage()
    {
        var alice = await host.Api.RegisterAsync();

        var (status, problem) = await host.Api.PostAsync(alice, "/api/media/uploads", new { contentType = "image/png", size = 100 });

        Assert.Equal(HttpStatusCode.NotImplemented, status);
        Assert.Equal("not_implemented", (string?)problem!["code"]);
        Assert.Contains("BlobConnectionString", (string?)problem["detail"]);
    }

    [Fact]
    public async Task The_openapi_document_describes_the_media_endpoints()
    {
        using var http = host.CreateClient();

        var document = await http.GetStringAsync("/openapi/v1.json");

        Assert.Contains("\"/api/media/uploads/{mediaId}/complete\"", document);
        Assert.Contains("\"/api/media/{mediaId}/thumbnail\"", document);
    }

    [Fact]
    public async Task Media_endpoints_need_a_token()
    {
        using var http = host.CreateClient();

        using var upload = await http.PostAsync("/api/media", new ByteArrayContent(SampleMedia.Png(4, 4)));
        using var download = await http.GetAsync("/api/media/md_0123");

        Assert.Equal(HttpStatusCode.Unauthorized, upload.StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, download.StatusCode);
        Assert.Equal(0, host.MediaRecordCount());
    }
}
