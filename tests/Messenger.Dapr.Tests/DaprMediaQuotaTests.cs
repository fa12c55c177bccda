using Messenger.Core.Domain;
using Messenger.Core.Errors;
using Messenger.Core.Services;
using Messenger.Dapr.State;
using Messenger.Dapr.Tests.Fakes;
using Messenger.Dapr.Tests.Infrastructure;
using Messenger.Media;
using Messenger.Media.Storage;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;

namespace Messenger.Dapr.Tests;

/// <summary>Storage usage per owner in the state store (<c>media-usage:{userId}</c>) and the sweep of unsent media, on the in-memory DaprClient mock.</summary>
public sealed class DaprMediaQuotaTests
{
    private static readonly DateTimeOffset Now = new(2026, 11, 28, 9, 0, 0, TimeSpan.Zero);
    private readonly InMemoryDapr dapr = new();
    private readonly DaprMediaStore store;

    public DaprMediaQuotaTests()
    {
        store = new DaprMediaStore(new StateRecords(dapr.Client, Options.Create(new DaprOptions())), Options.Create(new DaprOptions()));
    }

    [Fact]
    public async Task Reservations_count_per_owner_under_its_usage_key_and_one_past_the_quota_stores_nothing()
    {
        Assert.True(await store.TryAddAsync(Record("md_1", "u_a", 600), 1000, default));
        Assert.True(await store.TryAddAsync(Record("md_2", "u_a", 400), 1000, default));
        Assert.False(await store.TryAddAsync(Record("md_3", "u_a", 1), 1000, default));
        Assert.True(await store.TryAddAsync(Record("md_4", "u_b", 1000), 1000, default));

        Assert.Equal(1000, await store.GetUsageAsync("u_a", default));
        Assert.Equal(1000, dapr.Read<MediaUsage>(DaprNames.StateStore, StateKeys.MediaUsage("u_a"))!.Bytes);
        Assert.Equal(1000, await store.GetUsageAsync("u_b", default));
        Assert.Equal(0, await store.GetUsageAsync("u_c", default));
        Assert.False(dapr.Has(DaprNames.StateStore, StateKeys.Media("md_3")));
    }

    [Fact]
    public async Task Parallel_reservations_of_one_owner_never_pass_the_quota_together()
    {
        var results = await Task.WhenAll(Enumerable.Range(0, 12).Select(i =>
            Task.Run(() => store.TryAddAsync(Record($"md_{i}", "u_a", 100), 500, default))));

        Assert.Equal(5, results.Count(r => r));
        Assert.Equal(500, await store.GetUsageAsync("u_a", default));
        Assert.Equal(5, dapr.Keys(DaprNames.StateStore).Count(k => k.StartsWith("media:", StringComparison.Ordinal)));
    }

    [Fact]
    public async Task A_charge_gives_bytes_back_and_grows_only_within_the_quota()
    {
        await store.TryAddAsync(Record("md_1", "u_a", 800), 1000, default);

        Assert.True(await store.TryChargeAsync("md_1", -300, 1000, default));
        Assert.False(await store.TryChargeAsync("md_1", 501, 1000, default));
        Assert.True(await store.TryChargeAsync("md_1", 500, 1000, default));
        Assert.False(await store.TryChargeAsync("md_gone", 1, 1000, default));

        Assert.Equal(1000, await store.GetUsageAsync("u_a", default));
        Assert.Equal(1000, (await store.GetAsync("md_1", default))!.ChargedBytes);
    }

    [Fact]
    public async Task A_thumbnail_counts_once_however_often_it_is_recorded_and_deleting_gives_everything_back()
    {
        await store.TryAddAsync(Record("md_1", "u_a", 800), 1000, default);
        await store.TryAddAsync(Record("md_2", "u_a", 100), 1000, default);

        await store.RecordThumbnailAsync("md_1", new MediaThumbnail(ThumbnailState.Ready, 10, 10, "image/webp", 150), default);
        await store.RecordThumbnailAsync("md_1", new MediaThumbnail(ThumbnailState.Ready, 10, 10, "image/webp", 150), default);
        Assert.Equal(1050, await store.GetUsageAsync("u_a", default));

        await store.DeleteAsync("md_1", default);
        await store.DeleteAsync("md_1", default);

        Assert.Equal(100, await store.GetUsageAsync("u_a", default));
        await store.DeleteAsync("md_2", default);
        Assert.Equal(0, await store.GetUsageAsync("u_a", default));
        Assert.False(dapr.Has(DaprNames.StateStore, StateKeys.MediaUsage("u_a")));
    }

    [Fact]
    public async Task Only_unsent_media_is_deleted_as_unsent_and_a_send_of_swept_media_fails()
    {
        var catalog = new MediaCatalog(store);
        await store.TryAddAsync(Record("md_sent", "u_a", 100), 1000, default);
        await store.TryAddAsync(Record("md_unsent", "u_a", 200), 1000, default);
        await catalog.RecordAttachedAsync("md_sent", "c_1", default);

        Assert.False(await store.DeleteUnsentAsync("md_sent", default));
        Assert.True(await store.DeleteUnsentAsync("md_unsent", default));
        Assert.False(await store.DeleteUnsentAsync("md_unsent", default));

        Assert.NotNull(await store.GetAsync("md_sent", default));
        Assert.Equal(100, await store.GetUsageAsync("u_a", default));
        var error = await Assert.ThrowsAsync<ChatException>(() => catalog.RecordAttachedAsync("md_unsent", "c_1", default));
        Assert.Equal(ErrorCodes.NotFound, error.Code);
        Assert.False(dapr.Has(DaprNames.StateStore, StateKeys.Media("md_unsent")));
    }

    [Fact]
    public async Task Ready_media_is_indexed_for_the_sweep_at_the_time_given_and_a_direct_upload_keeps_its_own()
    {
        await store.AddAsync(Record("md_app", "u_a", 100) with { Status = MediaStatus.Uploading, PendingUntil = Now.AddHours(1) }, default);
        await store.AddAsync(Record("md_direct", "u_a", 100) with { Status = MediaStatus.AwaitingUpload, PendingUntil = Now.AddMinutes(25) }, default);
        var content = new MediaContent("video/mp4", 100, "ab", null, null, ThumbnailState.None);

        await store.MarkReadyAsync("md_app", MediaStatus.Uploading, content, Now.AddDays(1), default);
        await store.MarkReadyAsync("md_direct", MediaStatus.AwaitingUpload, content, Now.AddDays(1), default);
        Assert.Equal(["md_direct"], (await store.ListPendingExpiredAsync(Now.AddHours(2), 10, default)).Select(r => r.MediaId));
        await store.SetPendingAsync("md_direct", Now.AddDays(2), default);

        Assert.Equal(Now.AddDays(1), (await store.GetAsync("md_app", default))!.PendingUntil);
        Assert.Equal(Now.AddDays(2), (await store.GetAsync("md_direct", default))!.PendingUntil);
        Assert.Empty(await store.ListPendingExpiredAsync(Now.AddHours(2), 10, default));
        Assert.Equal(["md_app"], (await store.ListPendingExpiredAsync(Now.AddDays(1).AddSeconds(1), 10, default)).Select(r => r.MediaId));
    }

    [Fact]
    public async Task The_janitor_deletes_media_never_sent_after_the_window_with_its_thumbnail_and_keeps_sent_media()
    {
        using var directory = new TempDirectory();
        var blobs = new LocalDiskBlobStore(directory.Path);
        var time = new FakeTimeProvider(Now);
        var options = new MediaOptions { UnsentLifetime = TimeSpan.FromHours(24) };
        var janitor = new MediaJanitor(store, blobs, Options.Create(options), time, NullLogger<MediaJanitor>.Instance);
        foreach (var id in new[] { "md_sent", "md_unsent" })
        {
            await store.AddAsync(Record(id, "u_a", 1000) with { PendingUntil = Now + options.UnsentLifetime, Thumbnail = ThumbnailState.Pending }, default);
            await blobs.WriteAsync(BlobNames.Original(id), new MemoryStream(new byte[1000]), "image/png", default);
            await blobs.WriteAsync(BlobNames.Thumbnail(id), new MemoryStream(new byte[100]), "image/webp", default);
            await store.RecordThumbnailAsync(id, new MediaThumbnail(ThumbnailState.Ready, 10, 10, "image/webp", 100), default);
        }

        await new MediaCatalog(store).RecordAttachedAsync("md_sent", "c_1", default);
        time.Advance(TimeSpan.FromHours(23));
        Assert.Equal(0, await janitor.SweepAsync(default));
        time.Advance(TimeSpan.FromHours(1) + TimeSpan.FromSeconds(1));
        Assert.Equal(2, await janitor.SweepAsync(default));

        Assert.False(dapr.Has(DaprNames.StateStore, StateKeys.Media("md_unsent")));
        Assert.Null(await blobs.GetAsync(BlobNames.Original("md_unsent"), default));
        Assert.Null(await blobs.GetAsync(BlobNames.Thumbnail("md_unsent"), default));
        Assert.NotNull(await blobs.GetAsync(BlobNames.Original("md_sent"), default));
        Assert.NotNull(await blobs.GetAsync(BlobNames.Thumbnail("md_sent"), default));
        Assert.Null((await store.GetAsync("md_sent", default))!.PendingUntil);
        Assert.Equal(1100, await store.GetUsageAsync("u_a", default));
        Assert.DoesNotContain(dapr.Keys(DaprNames.StateStore), k => k.StartsWith("media-pending:", StringComparison.Ordinal));

        time.Advance(TimeSpan.FromDays(30));
        Assert.Equal(0, await janitor.SweepAsync(default));
        Assert.True(dapr.Has(DaprNames.StateStore, StateKeys.Media("md_sent")));
    }

    private static MediaRecord Record(string id, string owner, long charged) =>
        new(id, owner, MediaStatus.Ready, "image/png", charged, "ab", null, null, ThumbnailState.None, null, Now, null, [], ChargedBytes: charged);
}
