using Messenger.Core.Domain;
using Messenger.Core.Events;
using Messenger.Dapr.Bus;
using Messenger.Dapr.State;
using Messenger.Dapr.Tests.Fakes;
using Messenger.Dapr.Tests.Infrastructure;
using Messenger.Media;
using Messenger.Media.Processing;
using Messenger.Media.Storage;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;

namespace Messenger.Dapr.Tests;

/// <summary>Media metadata and its sweeper and backlog indexes, on a strict DaprClient mock over an in-memory store.</summary>
public sealed class DaprMediaStoreTests
{
    private static readonly DateTimeOffset Now = new(2026, 11, 28, 9, 0, 0, TimeSpan.Zero);
    private readonly InMemoryDapr dapr = new();
    private readonly DaprMediaStore store;

    public DaprMediaStoreTests()
    {
        store = new DaprMediaStore(new StateRecords(dapr.Client, Options.Create(new DaprOptions())), Options.Create(new DaprOptions()));
    }

    [Fact]
    public async Task A_record_round_trips_under_its_media_key()
    {
        var record = Uploading("md_1", Now) with { Sha256 = null, Width = 10, Height = 20 };

        await store.AddAsync(record, default);
        var read = await store.GetAsync("md_1", default);

        Assert.NotNull(read);
        Assert.Equal(record with { ConversationIds = [] }, read with { ConversationIds = [] });
        Assert.Empty(read.ConversationIds);
        Assert.True(dapr.Has(DaprNames.StateStore, "media:md_1"));
        Assert.Null(await store.GetAsync("md_2", default));
    }

    [Fact]
    public async Task Marking_an_upload_ready_records_its_content_and_takes_it_off_the_sweepers_list()
    {
        await store.AddAsync(Uploading("md_1", Now), default);

        Assert.False(await store.MarkReadyAsync("md_1", MediaStatus.AwaitingUpload, Content(ThumbnailState.Pending), null, default));
        Assert.True(await store.MarkReadyAsync("md_1", MediaStatus.Uploading, Content(ThumbnailState.Pending), null, default));
        Assert.False(await store.MarkReadyAsync("md_1", MediaStatus.Uploading, Content(ThumbnailState.Pending), null, default));

        var ready = (await store.GetAsync("md_1", default))!;
        Assert.Equal(MediaStatus.Ready, ready.Status);
        Assert.Equal(("image/png", 1234L, "ab12", 640, 480), (ready.ContentType, ready.Size, ready.Sha256, ready.Width!.Value, ready.Height!.Value));
        Assert.Null(ready.PendingUntil);
        Assert.Empty(await store.ListPendingExpiredAsync(Now.AddDays(1), 100, default));
        Assert.Equal(["md_1"], await store.ListAwaitingThumbnailAsync(100, default));
        Assert.DoesNotContain(dapr.Keys(DaprNames.StateStore), k => k.StartsWith("media-pending:", StringComparison.Ordinal));
    }

    [Fact]
    public async Task A_recorded_thumbnail_ends_the_wait_and_keeps_known_dimensions_when_it_has_none()
    {
        await store.AddAsync(Uploading("md_1", Now), default);
        await store.AddAsync(Uploading("md_2", Now.AddSeconds(1)), default);
        await store.MarkReadyAsync("md_1", MediaStatus.Uploading, Content(ThumbnailState.Pending), null, default);
        await store.MarkReadyAsync("md_2", MediaStatus.Uploading, Content(ThumbnailState.Pending), null, default);

        await store.RecordThumbnailAsync("md_1", new MediaThumbnail(ThumbnailState.Ready, 641, 481, "image/webp"), default);
        await store.RecordThumbnailAsync("md_2", new MediaThumbnail(ThumbnailState.Failed, null, null, null), default);

        var made = (await store.GetAsync("md_1", default))!;
        var failed = (await store.GetAsync("md_2", default))!;
        Assert.Equal((ThumbnailState.Ready, "image/webp", 641, 481), (made.Thumbnail, made.ThumbnailContentType, made.Width!.Value, made.Height!.Value));
        Assert.Equal((ThumbnailState.Failed, 640, 480), (failed.Thumbnail, failed.Width!.Value, failed.Height!.Value));
        Assert.Empty(await store.ListAwaitingThumbnailAsync(100, default));
        Assert.DoesNotContain(dapr.Keys(DaprNames.StateStore), k => k.StartsWith("media-thumbnails:", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Conversations_are_added_once_each_and_never_to_missing_media()
    {
        await store.AddAsync(Uploading("md_1", Now), default);

        await store.AddConversationAsync("md_1", "c_1", default);
        await store.AddConversationAsync("md_1", "c_2", default);
        await store.AddConversationAsync("md_1", "c_1", default);
        await store.AddConversationAsync("md_gone", "c_1", default);

        Assert.Equal(["c_1", "c_2"], (await store.GetAsync("md_1", default))!.ConversationIds.ToArray());
        Assert.False(dapr.Has(DaprNames.StateStore, StateKeys.Media("md_gone")));
    }

    [Fact]
    public async Task The_sweeper_gets_expired_uploads_oldest_first_up_to_its_limit()
    {
        await store.AddAsync(Uploading("md_late", Now.AddMinutes(3)), default);
        await store.AddAsync(Uploading("md_early", Now.AddMinutes(1)), default);
        await store.AddAsync(Uploading("md_middle", Now.AddMinutes(2)), default);
        await store.AddAsync(Uploading("md_future", Now.AddHours(1)), default);
        var at = Now.AddMinutes(30);

        var first = await store.ListPendingExpiredAsync(at, 2, default);
        var all = await store.ListPendingExpiredAsync(at, 100, default);

        Assert.Equal(["md_early", "md_middle"], first.Select(r => r.MediaId));
        Assert.Equal(["md_early", "md_middle", "md_late"], all.Select(r => r.MediaId));
        Assert.Equal(4, (await store.ListPendingExpiredAsync(Now.AddDays(1), 100, default)).Count);
    }

    [Fact]
    public async Task A_completed_direct_upload_stays_pending_until_its_staging_blob_is_cleared()
    {
        await store.AddAsync(Uploading("md_1", Now.AddMinutes(25)) with { Status = MediaStatus.AwaitingUpload }, default);
        Assert.True(await store.MarkReadyAsync("md_1", MediaStatus.AwaitingUpload, Content(ThumbnailState.None), null, default));

        var due = Assert.Single(await store.ListPendingExpiredAsync(Now.AddMinutes(26), 100, default));
        Assert.Equal(MediaStatus.Ready, due.Status);
        await store.ClearPendingAsync("md_1", default);

        Assert.Empty(await store.ListPendingExpiredAsync(Now.AddDays(1), 100, default));
        Assert.Null((await store.GetAsync("md_1", default))!.PendingUntil);
        Assert.Empty(await store.ListAwaitingThumbnailAsync(100, default));
    }

    [Fact]
    public async Task Delete_removes_the_record_and_its_index_entries()
    {
        await store.AddAsync(Uploading("md_1", Now), default);
        await store.AddAsync(Uploading("md_2", Now), default);
        await store.MarkReadyAsync("md_2", MediaStatus.Uploading, Content(ThumbnailState.Pending), null, default);

        await store.DeleteAsync("md_1", default);
        await store.DeleteAsync("md_2", default);

        Assert.DoesNotContain(dapr.Keys(DaprNames.StateStore), k => k.StartsWith("media", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Listings_drop_index_entries_whose_record_is_gone_and_keep_those_not_yet_due()
    {
        // A crash between writing an index entry and the record: one long past due, one that is not due yet.
        var shard = StateKeys.MediaPending(StateKeys.MediaShardOf("md_orphan"));
        dapr.Write(DaprNames.StateStore, shard, new MediaIndex([new MediaIndexEntry("md_orphan", Now.AddMinutes(-5))]));
        var other = StateKeys.MediaPending(StateKeys.MediaShardOf("md_coming"));
        var existing = dapr.Read<MediaIndex>(DaprNames.StateStore, other)?.Items ?? [];
        dapr.Write(DaprNames.StateStore, other, new MediaIndex(existing.Add(new MediaIndexEntry("md_coming", Now.AddHours(1)))));

        Assert.Empty(await store.ListPendingExpiredAsync(Now, 100, default));

        var left = dapr.Keys(DaprNames.StateStore)
            .Where(k => k.StartsWith("media-pending:", StringComparison.Ordinal))
            .SelectMany(k => dapr.Read<MediaIndex>(DaprNames.StateStore, k)!.Items)
            .Select(e => e.MediaId);
        Assert.Equal(["md_coming"], left);
    }

    [Fact]
    public async Task Concurrent_uploads_in_the_same_shards_all_reach_the_index()
    {
        var ids = Enumerable.Range(0, 48).Select(i => $"md_{i:x4}").ToList();

        await Task.WhenAll(ids.Select(id => Task.Run(() => store.AddAsync(Uploading(id, Now), default))));

        var listed = await store.ListPendingExpiredAsync(Now.AddSeconds(1), 1000, default);
        Assert.Equal(ids.Order(StringComparer.Ordinal), listed.Select(r => r.MediaId).Order(StringComparer.Ordinal));
    }

    [Fact]
    public async Task The_janitor_deletes_a_media_released_by_its_last_message_at_its_next_pass_with_its_blobs()
    {
        using var directory = new TempDirectory();
        var blobs = new LocalDiskBlobStore(directory.Path);
        var time = new FakeTimeProvider(Now);
        await store.AddAsync(Uploading("md_1", Now.AddHours(1)) with { Status = MediaStatus.Ready, PendingUntil = null }, default);
        Assert.True(await store.AddConversationAsync("md_1", "c_1", default));
        await blobs.WriteAsync(BlobNames.Original("md_1"), new MemoryStream([1, 2, 3]), "image/png", default);
        Assert.True(await store.ReleaseAsync("md_1", Now, default));
        var janitor = new MediaJanitor(store, blobs, Options.Create(new MediaOptions()), time, NullLogger<MediaJanitor>.Instance);

        time.Advance(TimeSpan.FromMinutes(1));
        Assert.Equal(1, await janitor.SweepAsync(default));

        Assert.Null(await store.GetAsync("md_1", default));
        Assert.Null(await blobs.GetAsync(BlobNames.Original("md_1"), default));
    }

    [Fact]
    public async Task The_janitor_sweeps_an_abandoned_upload_found_through_the_index()
    {
        using var directory = new TempDirectory();
        var blobs = new LocalDiskBlobStore(directory.Path);
        var time = new FakeTimeProvider(Now);
        await store.AddAsync(Uploading("md_1", Now.AddHours(1)), default);
        await blobs.WriteAsync(BlobNames.Original("md_1"), new MemoryStream([1, 2, 3]), "image/png", default);
        var janitor = new MediaJanitor(store, blobs, Options.Create(new MediaOptions()), time, NullLogger<MediaJanitor>.Instance);

        Assert.Equal(0, await janitor.SweepAsync(default));
        time.Advance(TimeSpan.FromHours(1) + TimeSpan.FromSeconds(1));
        Assert.Equal(1, await janitor.SweepAsync(default));

        Assert.Null(await store.GetAsync("md_1", default));
        Assert.Null(await blobs.GetAsync(BlobNames.Original("md_1"), default));
        Assert.DoesNotContain(dapr.Keys(DaprNames.StateStore), k => k.StartsWith("media", StringComparison.Ordinal));
    }

    [Fact]
    public async Task The_backlog_publishes_media_uploaded_for_each_image_still_waiting_for_a_thumbnail()
    {
        await store.AddAsync(Uploading("md_waiting", Now), default);
        await store.AddAsync(Uploading("md_done", Now), default);
        await store.AddAsync(Uploading("md_video", Now), default);
        await store.MarkReadyAsync("md_waiting", MediaStatus.Uploading, Content(ThumbnailState.Pending), null, default);
        await store.MarkReadyAsync("md_done", MediaStatus.Uploading, Content(ThumbnailState.Pending), null, default);
        await store.RecordThumbnailAsync("md_done", new MediaThumbnail(ThumbnailState.Ready, 640, 480, "image/webp"), default);
        await store.MarkReadyAsync("md_video", MediaStatus.Uploading, Content(ThumbnailState.None), null, default);
        var backlog = new MediaThumbnailBacklog(
            store, new DaprEventBus(dapr.Client), TimeProvider.System, NullLogger<MediaThumbnailBacklog>.Instance);

        Assert.Equal(1, await backlog.RequeueAsync(default));

        var published = Assert.Single(dapr.Published);
        Assert.Equal((DaprNames.PubSub, Topics.MediaUploaded), (published.PubSub, published.Topic));
        Assert.Equal("md_waiting", System.Text.Json.JsonSerializer.Deserialize<MediaUploaded>(published.Data, DaprJson.Options)!.MediaId);
    }

    [Fact]
    public async Task Thumbnail_attempts_are_counted_in_the_record_and_a_record_stored_without_them_starts_at_zero()
    {
        // A record as stored before attempts were counted: the JSON has no thumbnailAttempts.
        var json = System.Text.Json.Nodes.JsonNode.Parse(System.Text.Json.JsonSerializer.Serialize(
            Uploading("md_old", Now) with { Status = MediaStatus.Ready, Thumbnail = ThumbnailState.Pending, PendingUntil = null }, DaprJson.Options))!.AsObject();
        Assert.True(json.Remove("thumbnailAttempts"));
        dapr.Write(DaprNames.StateStore, "media:md_old", json);

        Assert.Equal(0, (await store.GetAsync("md_old", default))!.ThumbnailAttempts);
        Assert.Equal(1, await store.CountThumbnailAttemptAsync("md_old", default));
        Assert.Equal(2, await store.CountThumbnailAttemptAsync("md_old", default));
        Assert.Equal(2, (await store.GetAsync("md_old", default))!.ThumbnailAttempts);
        Assert.Equal(0, await store.CountThumbnailAttemptAsync("md_missing", default));
        Assert.False(dapr.Has(DaprNames.StateStore, "media:md_missing"));
    }

    private static MediaRecord Uploading(string mediaId, DateTimeOffset pendingUntil) =>
        new(mediaId, "u_owner", MediaStatus.Uploading, "image/png", 0, null, null, null, ThumbnailState.None, null, Now, pendingUntil, []);

    private static MediaContent Content(ThumbnailState thumbnail) => new("image/png", 1234, "ab12", 640, 480, thumbnail);
}
