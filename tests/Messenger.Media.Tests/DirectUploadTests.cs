using System.Net;
using System.Net.Http.Headers;
using System.Web;
using Messenger.Core.Ports;
using Messenger.Media.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;

namespace Messenger.Media.Tests;

/// <summary>Uploads straight to blob storage through a write-only SAS URL, checked on completion.</summary>
[Collection(AzuriteCollection.Name)]
public sealed class DirectUploadTests(AzuriteFixture azurite) : IAsyncLifetime
{
    private const int VideoLimit = 600_000;
    private MediaHost host = null!;

    public async Task InitializeAsync() => host = await MediaHost.StartAsync(
        azurite.ConnectionString, "--Messenger:Media:MaxImageBytes", "300000", "--Messenger:Media:MaxVideoBytes", VideoLimit.ToString());

    public async Task DisposeAsync() => await host.DisposeAsync();

    [Fact]
    public async Task A_direct_upload_can_be_sent_only_after_completion_checked_it_and_comes_back_byte_identical()
    {
        var alice = await host.Api.RegisterAsync();
        var bob = await host.Api.RegisterAsync();
        var conversation = await host.Api.ConversationAsync(alice, "direct", bob);
        var photo = SampleMedia.Jpeg(300, 200);

        var (status, ticket) = await host.Api.PostAsync(alice, "/api/media/uploads", new { contentType = "image/jpeg", size = photo.Length });

        Assert.Equal(HttpStatusCode.Created, status);
        var mediaId = (string)ticket!["mediaId"]!;
        var uploadUrl = new Uri((string)ticket["uploadUrl"]!);
        Assert.Equal(("PUT", "BlockBlob", $"/api/media/uploads/{mediaId}/complete"), ((string?)ticket["method"], (string?)ticket["headers"]!["x-ms-blob-type"], (string?)ticket["completeUrl"]));
        Assert.Equal("cw", HttpUtility.ParseQueryString(uploadUrl.Query)["sp"]);
        Assert.Equal(HttpStatusCode.NotFound, (await host.Api.SendMediaAsync(alice, conversation, mediaId)).Status);
        Assert.Equal(HttpStatusCode.Conflict, (await host.Api.PostAsync(alice, $"/api/media/uploads/{mediaId}/complete", null)).Status);

        Assert.Equal(HttpStatusCode.Created, await PutAsync(uploadUrl, photo, "text/html"));
        Assert.Equal(HttpStatusCode.Forbidden, await GetStatusAsync(uploadUrl));
        Assert.Equal(HttpStatusCode.NotFound, (await host.Api.PostAsync(bob, $"/api/media/uploads/{mediaId}/complete", null)).Status);
        Assert.Equal(HttpStatusCode.NotFound, (await host.Api.SendMediaAsync(alice, conversation, mediaId)).Status);
        var (completed, media) = await host.Api.PostAsync(alice, $"/api/media/uploads/{mediaId}/complete", null);

        Assert.Equal(HttpStatusCode.OK, completed);
        Assert.Equal(("image/jpeg", photo.Length, 300, 200), ((string?)media!["contentType"], (long)media["size"]!, (int)media["width"]!, (int)media["height"]!));
        var blobs = await azurite.BlobNamesAsync(host.Container!);
        Assert.Contains($"{mediaId}/original", blobs);
        Assert.DoesNotContain($"{mediaId}/upload", blobs);
        Assert.Equal(HttpStatusCode.OK, (await host.Api.PostAsync(alice, $"/api/media/uploads/{mediaId}/complete", null)).Status);
        Assert.Equal(HttpStatusCode.Created, (await host.Api.SendMediaAsync(alice, conversation, mediaId)).Status);
        var download = await host.Api.DownloadAsync(bob, $"/api/media/{mediaId}");
        Assert.Equal(SampleMedia.Sha256(photo), SampleMedia.Sha256(download.Body));
        Assert.Equal("image/jpeg", download.ContentType);
    }

    [Fact]
    public async Task Writing_to_the_upload_url_after_completion_does_not_change_what_readers_get()
    {
        var alice = await host.Api.RegisterAsync();
        var photo = SampleMedia.Png(64, 64);
        var ticket = await TicketAsync(alice, "image/png", photo.Length);
        await PutAsync(ticket.Url, photo, "image/png");
        Assert.Equal(HttpStatusCode.OK, (await host.Api.PostAsync(alice, $"/api/media/uploads/{ticket.MediaId}/complete", null)).Status);

        Assert.Equal(HttpStatusCode.Created, await PutAsync(ticket.Url, SampleMedia.Html(), "text/html"));

        var download = await host.Api.DownloadAsync(alice, $"/api/media/{ticket.MediaId}");
        Assert.Equal(SampleMedia.Sha256(photo), SampleMedia.Sha256(download.Body));
        Assert.Equal("image/png", download.ContentType);
    }

    [Fact]
    public async Task A_direct_upload_whose_bytes_are_not_allowed_is_refused_at_completion_and_its_blob_removed()
    {
        var alice = await host.Api.RegisterAsync();
        var conversation = await host.Api.ConversationAsync(alice, "group");
        var ticket = await TicketAsync(alice, "image/png", 1000);
        await PutAsync(ticket.Url, SampleMedia.Html(), "image/png");

        var (status, problem) = await host.Api.PostAsync(alice, $"/api/media/uploads/{ticket.MediaId}/complete", null);

        Assert.Equal(HttpStatusCode.UnsupportedMediaType, status);
        Assert.NotNull(problem?["detail"]);
        Assert.Empty(await azurite.BlobNamesAsync(host.Container!));
        Assert.Equal(HttpStatusCode.NotFound, (await host.Api.SendMediaAsync(alice, conversation, ticket.MediaId)).Status);
        Assert.Equal(HttpStatusCode.NotFound, (await host.Api.DownloadAsync(alice, $"/api/media/{ticket.MediaId}")).Status);
    }

    [Fact]
    public async Task A_direct_upload_larger_than_its_types_limit_is_refused_at_completion_and_its_blob_removed()
    {
        var alice = await host.Api.RegisterAsync();
        var ticket = await TicketAsync(alice, "video/mp4", 1000);
        await PutAsync(ticket.Url, SampleMedia.Mp4(VideoLimit + 1), "video/mp4");

        var (status, _) = await host.Api.PostAsync(alice, $"/api/media/uploads/{ticket.MediaId}/complete", null);

        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, status);
        Assert.Empty(await azurite.BlobNamesAsync(host.Container!));
    }

    [Fact]
    public async Task A_ticket_is_refused_for_a_type_outside_the_allow_list_a_size_past_the_limit_or_a_missing_size()
    {
        var alice = await host.Api.RegisterAsync();

        var html = await host.Api.PostAsync(alice, "/api/media/uploads", new { contentType = "text/html", size = 100 });
        var large = await host.Api.PostAsync(alice, "/api/media/uploads", new { contentType = "video/webm", size = VideoLimit + 1 });
        var sizeless = await host.Api.PostAsync(alice, "/api/media/uploads", new { contentType = "image/gif" });

        Assert.Equal(HttpStatusCode.UnsupportedMediaType, html.Status);
        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, large.Status);
        Assert.Equal(HttpStatusCode.BadRequest, sizeless.Status);
        Assert.Equal(0, host.MediaRecordCount());
    }

    [Fact]
    public async Task A_direct_upload_reserves_its_declared_size_and_one_that_brings_more_than_the_quota_has_room_for_is_refused_at_completion()
    {
        await using var limited = await MediaHost.StartAsync(azurite.ConnectionString, "--Messenger:Media:UserQuota", "400000");
        var alice = await limited.Api.RegisterAsync();
        var store = limited.Services.GetRequiredService<IMediaStore>();

        var tooBig = await limited.Api.PostAsync(alice, "/api/media/uploads", new { contentType = "video/mp4", size = 400_001 });
        Assert.Equal((HttpStatusCode.Forbidden, "quota_exceeded"), (tooBig.Status, (string?)tooBig.Body!["code"]));
        Assert.Equal(0, limited.MediaRecordCount());

        var (_, lying) = await limited.Api.PostAsync(alice, "/api/media/uploads", new { contentType = "video/mp4", size = 100_000 });
        Assert.Equal(100_000, await store.GetUsageAsync(alice.UserId, default));
        Assert.Equal(HttpStatusCode.Created, await PutAsync(new Uri((string)lying!["uploadUrl"]!), SampleMedia.Mp4(450_000), "video/mp4"));
        var refused = await limited.Api.PostAsync(alice, $"/api/media/uploads/{(string)lying["mediaId"]!}/complete", null);
        Assert.Equal((HttpStatusCode.Forbidden, "quota_exceeded"), (refused.Status, (string?)refused.Body!["code"]));
        Assert.Empty(await azurite.BlobNamesAsync(limited.Container!));
        Assert.Equal(100_000, await store.GetUsageAsync(alice.UserId, default));

        var (_, honest) = await limited.Api.PostAsync(alice, "/api/media/uploads", new { contentType = "video/mp4", size = 200_000 });
        await PutAsync(new Uri((string)honest!["uploadUrl"]!), SampleMedia.Mp4(150_000), "video/mp4");
        var completed = await limited.Api.PostAsync(alice, $"/api/media/uploads/{(string)honest["mediaId"]!}/complete", null);
        Assert.Equal(HttpStatusCode.OK, completed.Status);
        Assert.Equal(100_000 + 150_000, await store.GetUsageAsync(alice.UserId, default));
    }

    [Fact]
    public async Task A_direct_upload_never_completed_is_swept_with_its_blob_once_its_url_expired()
    {
        await using var quick = await MediaHost.StartAsync(
            azurite.ConnectionString,
            "--Messenger:Media:UploadUrlLifetime", "00:00:04",
            "--Messenger:Media:UploadCompletionGrace", "00:00:00",
            "--Messenger:Media:SweepInterval", "00:00:00.100");
        var alice = await quick.Api.RegisterAsync();
        var photo = SampleMedia.Png(32, 32);
        var (_, body) = await quick.Api.PostAsync(alice, "/api/media/uploads", new { contentType = "image/png", size = photo.Length });
        Assert.Equal(HttpStatusCode.Created, await PutAsync(new Uri((string)body!["uploadUrl"]!), photo, "image/png"));
        Assert.Equal(1, quick.MediaRecordCount());

        await Eventually.HoldsAsync(
            async () => quick.MediaRecordCount() == 0 && (await azurite.BlobNamesAsync(quick.Container!)).Count == 0, "the abandoned upload is swept", MediaWait.Background);
        Assert.Equal(HttpStatusCode.NotFound, (await quick.Api.PostAsync(alice, $"/api/media/uploads/{(string)body["mediaId"]!}/complete", null)).Status);
    }

    [Fact]
    public async Task A_staging_blob_written_again_after_completion_is_swept_once_the_url_expired_and_the_media_stays()
    {
        await using var quick = await MediaHost.StartAsync(
            azurite.ConnectionString,
            "--Messenger:Media:UploadUrlLifetime", "00:00:05",
            "--Messenger:Media:UploadCompletionGrace", "00:00:00",
            "--Messenger:Media:SweepInterval", "00:00:00.100");
        var alice = await quick.Api.RegisterAsync();
        var video = SampleMedia.Mp4(2000);
        var (_, body) = await quick.Api.PostAsync(alice, "/api/media/uploads", new { contentType = "video/mp4", size = video.Length });
        var mediaId = (string)body!["mediaId"]!;
        var url = new Uri((string)body["uploadUrl"]!);
        Assert.Equal(HttpStatusCode.Created, await PutAsync(url, video, "video/mp4"));
        Assert.Equal(HttpStatusCode.OK, (await quick.Api.PostAsync(alice, $"/api/media/uploads/{mediaId}/complete", null)).Status);

        Assert.Equal(HttpStatusCode.Created, await PutAsync(url, SampleMedia.Noise(1000, 1), "video/mp4"));
        Assert.Contains($"{mediaId}/upload", await azurite.BlobNamesAsync(quick.Container!));

        await Eventually.HoldsAsync(
            async () => (await azurite.BlobNamesAsync(quick.Container!)).SequenceEqual([$"{mediaId}/original"]), "only the checked original is left", MediaWait.Background);
        var download = await quick.Api.DownloadAsync(alice, $"/api/media/{mediaId}");
        Assert.Equal(SampleMedia.Sha256(video), SampleMedia.Sha256(download.Body));
        Assert.Equal(1, quick.MediaRecordCount());
    }

    private async Task<(string MediaId, Uri Url)> TicketAsync(TestUser user, string contentType, long size)
    {
        var (status, body) = await host.Api.PostAsync(user, "/api/media/uploads", new { contentType, size });
        Assert.Equal(HttpStatusCode.Created, status);
        return ((string)body!["mediaId"]!, new Uri((string)body["uploadUrl"]!));
    }

    /// <summary>What a client does with the ticket: a PUT straight to blob storage, no app token.</summary>
    private static async Task<HttpStatusCode> PutAsync(Uri url, byte[] bytes, string contentType)
    {
        using var http = new HttpClient();
        using var content = new ByteArrayContent(bytes);
        content.Headers.ContentType = MediaTypeHeaderValue.Parse(contentType);
        using var request = new HttpRequestMessage(HttpMethod.Put, url) { Content = content };
        request.Headers.Add("x-ms-blob-type", "BlockBlob");
        using var response = await http.SendAsync(request);
        return response.StatusCode;
    }

    private static async Task<HttpStatusCode> GetStatusAsync(Uri url)
    {
        using var http = new HttpClient();
        using var response = await http.GetAsync(url);
        return response.StatusCode;
    }
}
