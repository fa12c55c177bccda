using System.Net;
using Messenger.Core.Ports;
using Messenger.Media.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;

namespace Messenger.Media.Tests;

/// <summary>
/// The per-user storage quota, the sweep of unsent media and the free-space reserve, through the standalone host on
/// the local disk and SQLite.
/// </summary>
public sealed class MediaQuotaTests
{
    private const int Quota = 1_000_000;

    [Fact]
    public async Task An_upload_past_the_quota_gets_403_quota_exceeded_and_stores_nothing_whether_or_not_its_length_is_declared()
    {
        await using var host = await MediaHost.StartAsync(null, "--Messenger:Media:UserQuota", Quota.ToString());
        var alice = await host.Api.RegisterAsync();
        var bob = await host.Api.RegisterAsync();
        Assert.Equal(HttpStatusCode.Created, (await host.Api.UploadAsync(alice, SampleMedia.Mp4(700_000), "video/mp4")).Status);

        var declared = await host.Api.UploadAsync(alice, SampleMedia.Mp4(400_000), "video/mp4");
        var chunked = await host.Api.UploadAsync(alice, SampleMedia.Mp4(400_000), "video/mp4", chunked: true);
        var multipart = await host.Api.UploadMultipartAsync(alice, SampleMedia.Mp4(400_000), "video/mp4", "clip.mp4");

        foreach (var refused in new[] { declared, chunked, multipart })
        {
            Assert.Equal(HttpStatusCode.Forbidden, refused.Status);
            Assert.Equal("quota_exceeded", (string?)refused.Body!["code"]);
        }

        await Eventually.HoldsAsync(() => host.MediaRecordCount() == 1 && host.MediaFiles().Count == 1, "the refused uploads left nothing", MediaWait.Background);
        Assert.Equal(700_000, await Usage(host, alice));
        Assert.Equal(HttpStatusCode.Created, (await host.Api.UploadAsync(alice, SampleMedia.Mp4(300_000), "video/mp4", chunked: true)).Status);
        Assert.Equal(Quota, await Usage(host, alice));
        Assert.Equal(HttpStatusCode.Created, (await host.Api.UploadAsync(bob, SampleMedia.Mp4(400_000), "video/mp4")).Status);
    }

    [Fact]
    public async Task Parallel_uploads_of_one_user_never_pass_the_quota_together()
    {
        await using var host = await MediaHost.StartAsync(null, "--Messenger:Media:UserQuota", Quota.ToString());
        var alice = await host.Api.RegisterAsync();
        var video = SampleMedia.Mp4(300_000);

        var uploads = await Task.WhenAll(Enumerable.Range(0, 8).Select(i => host.Api.UploadAsync(alice, video, "video/mp4", chunked: i % 2 == 1)));

        Assert.All(uploads, u => Assert.Contains(u.Status, new[] { HttpStatusCode.Created, HttpStatusCode.Forbidden }));
        var stored = uploads.Count(u => u.Status == HttpStatusCode.Created);
        Assert.InRange(stored, 1, 3);
        Assert.Equal(stored * 300_000L, await Usage(host, alice));
        await Eventually.HoldsAsync(() => host.MediaRecordCount() == stored && host.MediaFiles().Count == stored, "only the stored uploads are left", MediaWait.Background);
    }

    [Fact]
    public async Task Media_never_sent_is_swept_after_its_lifetime_and_gives_its_quota_back_while_sent_media_stays()
    {
        await using var host = await MediaHost.StartAsync(
            null, "--Messenger:Media:UserQuota", Quota.ToString(), "--Messenger:Media:UnsentLifetime", "00:00:10", "--Messenger:Media:SweepInterval", "00:00:00.200");
        var alice = await host.Api.RegisterAsync();
        var bob = await host.Api.RegisterAsync();
        var photo = SampleMedia.Png(640, 480);
        var sent = await host.Api.UploadAsync(alice, photo, "image/png");
        var unsent = await host.Api.UploadAsync(alice, photo, "image/png");
        var conversation = await host.Api.ConversationAsync(alice, "direct", bob);
        Assert.Equal(HttpStatusCode.Created, (await host.Api.SendMediaAsync(alice, conversation, sent.MediaId)).Status);
        long thumbnails = 0;
        await Eventually.HoldsAsync(
            async () =>
            {
                // Only finished thumbnails: one being written is a temporary file beside them.
                var made = host.MediaFiles().Where(f => Path.GetFileName(f) == "thumbnail").ToList();
                thumbnails = made.Sum(f => new FileInfo(f).Length);
                return made.Count == 2 && await Usage(host, alice) == 2L * photo.Length + thumbnails;
            },
            "both thumbnails are made and count with the originals",
            MediaWait.Background);

        await Eventually.HoldsAsync(() => host.MediaRecordCount() == 1, "the unsent media is swept", MediaWait.Background);

        Assert.Equal(HttpStatusCode.NotFound, (await host.Api.DownloadAsync(alice, $"/api/media/{unsent.MediaId}")).Status);
        Assert.Equal(
            [Path.Combine(host.MediaDirectory, sent.MediaId, "original"), Path.Combine(host.MediaDirectory, sent.MediaId, "thumbnail")],
            host.MediaFiles().Order(StringComparer.Ordinal));
        Assert.Equal(photo.Length + (thumbnails / 2), await Usage(host, alice));
        Assert.Equal(HttpStatusCode.OK, (await host.Api.DownloadAsync(bob, $"/api/media/{sent.MediaId}")).Status);
        var late = await host.Api.SendMediaAsync(alice, conversation, unsent.MediaId);
        Assert.Equal(HttpStatusCode.NotFound, late.Status);
    }

    [Fact]
    public async Task A_free_space_reserve_above_what_the_disk_has_refuses_uploads_with_507_and_stores_nothing()
    {
        var probe = TempDirectory.Create();
        var free = new DriveInfo(probe).AvailableFreeSpace;
        TempDirectory.TryDelete(probe);
        await using var host = await MediaHost.StartAsync(null, "--Messenger:Media:FreeSpaceReserve", (free + (1L << 40)).ToString());
        var alice = await host.Api.RegisterAsync();

        var declared = await host.Api.UploadAsync(alice, SampleMedia.Png(16, 16), "image/png");
        var chunked = await host.Api.UploadAsync(alice, SampleMedia.Png(16, 16), "image/png", chunked: true);

        foreach (var refused in new[] { declared, chunked })
        {
            Assert.Equal(HttpStatusCode.InsufficientStorage, refused.Status);
            Assert.Equal("insufficient_storage", (string?)refused.Body!["code"]);
        }

        Assert.Equal(0, host.MediaRecordCount());
        Assert.Empty(host.MediaFiles());
        Assert.Equal(0, await Usage(host, alice));
    }

    private static Task<long> Usage(MediaHost host, TestUser user) =>
        host.Services.GetRequiredService<IMediaStore>().GetUsageAsync(user.UserId, default);
}
