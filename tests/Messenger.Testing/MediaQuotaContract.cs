using Messenger.Core.Domain;
using Messenger.Core.Errors;
using Messenger.Core.Ports;
using Messenger.Core.Services;

namespace Messenger.Testing;

/// <summary>
/// What every <see cref="IMediaStore"/> must do about storage usage per owner: reservations within a quota, charges,
/// thumbnails counted once, deletes and unsent deletes giving bytes back, the sweep time of ready media. A concrete
/// subclass per adapter supplies the store; adapter-specific tests (its keys, its migrations) live beside it.
/// </summary>
public abstract class MediaQuotaContract
{
    protected static readonly DateTimeOffset Now = new(2030, 1, 2, 3, 4, 5, TimeSpan.Zero);

    /// <summary>The store under test.</summary>
    protected abstract IMediaStore Store { get; }

    [Fact]
    public async Task Reservations_count_per_owner_and_one_past_the_quota_stores_nothing()
    {
        Assert.True(await Store.TryAddAsync(Record("md_1", "u_a", 600), 1000, default));
        Assert.True(await Store.TryAddAsync(Record("md_2", "u_a", 400), 1000, default));
        Assert.False(await Store.TryAddAsync(Record("md_3", "u_a", 1), 1000, default));
        Assert.True(await Store.TryAddAsync(Record("md_4", "u_b", 1000), 1000, default));

        Assert.Equal(1000, await Store.GetUsageAsync("u_a", default));
        Assert.Equal(1000, await Store.GetUsageAsync("u_b", default));
        Assert.Equal(0, await Store.GetUsageAsync("u_c", default));
        Assert.Null(await Store.GetAsync("md_3", default));
    }

    [Fact]
    public async Task Parallel_reservations_of_one_owner_never_pass_the_quota_together()
    {
        var results = await Task.WhenAll(Enumerable.Range(0, 12).Select(i =>
            Task.Run(() => Store.TryAddAsync(Record($"md_{i}", "u_a", 100), 500, default))));

        Assert.Equal(5, results.Count(r => r));
        Assert.Equal(500, await Store.GetUsageAsync("u_a", default));
        Assert.Equal(5, (await Task.WhenAll(Enumerable.Range(0, 12).Select(i => Store.GetAsync($"md_{i}", default)))).Count(r => r is not null));
    }

    [Fact]
    public async Task A_charge_gives_bytes_back_and_grows_only_within_the_quota()
    {
        await Store.TryAddAsync(Record("md_1", "u_a", 800), 1000, default);

        Assert.True(await Store.TryChargeAsync("md_1", -300, 1000, default));
        Assert.False(await Store.TryChargeAsync("md_1", 501, 1000, default));
        Assert.True(await Store.TryChargeAsync("md_1", 500, 1000, default));
        Assert.False(await Store.TryChargeAsync("md_gone", 1, 1000, default));

        Assert.Equal(1000, await Store.GetUsageAsync("u_a", default));
        Assert.Equal(1000, (await Store.GetAsync("md_1", default))!.ChargedBytes);
    }

    [Fact]
    public async Task A_thumbnail_counts_once_however_often_it_is_recorded_and_deleting_gives_everything_back()
    {
        await Store.TryAddAsync(Record("md_1", "u_a", 800), 1000, default);
        await Store.TryAddAsync(Record("md_2", "u_a", 100), 1000, default);

        await Store.RecordThumbnailAsync("md_1", new MediaThumbnail(ThumbnailState.Ready, 10, 10, "image/webp", 150), default);
        await Store.RecordThumbnailAsync("md_1", new MediaThumbnail(ThumbnailState.Ready, 10, 10, "image/webp", 150), default);
        Assert.Equal(1050, await Store.GetUsageAsync("u_a", default));

        await Store.DeleteAsync("md_1", default);
        await Store.DeleteAsync("md_1", default);

        Assert.Equal(100, await Store.GetUsageAsync("u_a", default));
        await Store.DeleteAsync("md_2", default);
        Assert.Equal(0, await Store.GetUsageAsync("u_a", default));
    }

    [Fact]
    public async Task Only_unsent_media_is_deleted_as_unsent_and_a_send_of_swept_media_fails()
    {
        var catalog = new MediaCatalog(Store);
        await Store.TryAddAsync(Record("md_sent", "u_a", 100), 1000, default);
        await Store.TryAddAsync(Record("md_unsent", "u_a", 200), 1000, default);
        await catalog.RecordAttachedAsync("md_sent", "c_1", default);

        Assert.False(await Store.DeleteUnsentAsync("md_sent", default));
        Assert.True(await Store.DeleteUnsentAsync("md_unsent", default));
        Assert.False(await Store.DeleteUnsentAsync("md_unsent", default));

        Assert.NotNull(await Store.GetAsync("md_sent", default));
        Assert.Null(await Store.GetAsync("md_unsent", default));
        Assert.Equal(100, await Store.GetUsageAsync("u_a", default));
        var error = await Assert.ThrowsAsync<ChatException>(() => catalog.RecordAttachedAsync("md_unsent", "c_1", default));
        Assert.Equal(ErrorCodes.NotFound, error.Code);
        Assert.False(await Store.AddConversationAsync("md_unsent", "c_1", default));
    }

    [Fact]
    public async Task Media_released_by_the_last_message_carrying_it_is_closed_to_its_conversations_and_due_for_the_sweep()
    {
        var catalog = new MediaCatalog(Store);
        await Store.TryAddAsync(Record("md_twice", "u_a", 100), 1000, default);
        await Store.TryAddAsync(Record("md_old", "u_a", 100), 1000, default);
        await catalog.RecordAttachedAsync("md_twice", "c_1", default);
        await catalog.RecordAttachedAsync("md_twice", "c_2", default);

        Assert.False(await Store.ReleaseAsync("md_twice", Now, default));
        Assert.Equal(["c_1", "c_2"], (await Store.GetAsync("md_twice", default))!.ConversationIds.Order().ToArray());
        Assert.True(await Store.ReleaseAsync("md_twice", Now, default));
        Assert.False(await Store.ReleaseAsync("md_old", Now, default));

        var released = await Store.GetAsync("md_twice", default);
        Assert.Empty(released!.ConversationIds);
        Assert.Equal(MediaStatus.Released, released.Status);
        Assert.Equal(Now, released.PendingUntil);
        Assert.Contains(await Store.ListPendingExpiredAsync(Now.AddSeconds(1), 10, default), r => r.MediaId == "md_twice");
        Assert.True(await Store.DeleteUnsentAsync("md_twice", default));
    }

    [Fact]
    public async Task Ready_media_is_due_for_the_sweep_at_the_time_given_and_a_direct_upload_keeps_its_own()
    {
        await Store.AddAsync(Record("md_app", "u_a", 100) with { Status = MediaStatus.Uploading, PendingUntil = Now.AddHours(1) }, default);
        await Store.AddAsync(Record("md_direct", "u_a", 100) with { Status = MediaStatus.AwaitingUpload, PendingUntil = Now.AddMinutes(25) }, default);
        var content = new MediaContent("video/mp4", 100, "ab", null, null, ThumbnailState.None);

        await Store.MarkReadyAsync("md_app", MediaStatus.Uploading, content, Now.AddDays(1), default);
        await Store.MarkReadyAsync("md_direct", MediaStatus.AwaitingUpload, content, Now.AddDays(1), default);
        Assert.Equal(["md_direct"], (await Store.ListPendingExpiredAsync(Now.AddHours(2), 10, default)).Select(r => r.MediaId));
        await Store.SetPendingAsync("md_direct", Now.AddDays(2), default);

        Assert.Equal(Now.AddDays(1), (await Store.GetAsync("md_app", default))!.PendingUntil);
        Assert.Equal(Now.AddDays(2), (await Store.GetAsync("md_direct", default))!.PendingUntil);
        Assert.Empty(await Store.ListPendingExpiredAsync(Now.AddHours(2), 10, default));
        Assert.Equal(["md_app"], (await Store.ListPendingExpiredAsync(Now.AddDays(1).AddSeconds(1), 10, default)).Select(r => r.MediaId));
    }

    protected static MediaRecord Record(string id, string owner, long charged) =>
        new(id, owner, MediaStatus.Ready, "image/png", charged, "ab", null, null, ThumbnailState.None, null, Now, null, [], ChargedBytes: charged);
}
