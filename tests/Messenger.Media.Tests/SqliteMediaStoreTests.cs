using Messenger.Core.Domain;
using Messenger.Core.Services;
using Messenger.Embedded.Sqlite;
using Messenger.Media.Tests.Infrastructure;

namespace Messenger.Media.Tests;

public sealed class SqliteMediaStoreTests : IAsyncLifetime
{
    private static readonly DateTimeOffset Now = new(2030, 1, 2, 3, 4, 5, TimeSpan.Zero);
    private readonly string dir = TempDirectory.Create();
    private SqliteDatabase database = null!;
    private SqliteMediaStore store = null!;

    public Task InitializeAsync()
    {
        database = new SqliteDatabase(Path.Combine(dir, "messenger.db"));
        store = new SqliteMediaStore(database);
        return Task.CompletedTask;
    }

    public async Task DisposeAsync()
    {
        await database.DisposeAsync();
        TempDirectory.TryDelete(dir);
    }

    [Fact]
    public async Task A_record_reads_back_with_the_conversations_it_was_sent_in_each_once()
    {
        var record = Record("md_1", MediaStatus.Ready, pendingUntil: null) with { Sha256 = "ab", Width = 3, Height = 4, Thumbnail = ThumbnailState.Pending };
        await store.AddAsync(record, default);
        await store.AddConversationAsync("md_1", "c_b", default);
        await store.AddConversationAsync("md_1", "c_a", default);
        await store.AddConversationAsync("md_1", "c_b", default);

        var read = await store.GetAsync("md_1", default);

        Assert.Equal(record with { ConversationIds = read!.ConversationIds }, read);
        Assert.Equal(["c_a", "c_b"], read.ConversationIds.ToArray());
        Assert.Null(await store.GetAsync("md_2", default));
    }

    [Fact]
    public async Task Records_outlive_a_reopened_database()
    {
        await store.AddAsync(Record("md_1", MediaStatus.Ready, null), default);
        await database.DisposeAsync();

        database = new SqliteDatabase(Path.Combine(dir, "messenger.db"));
        store = new SqliteMediaStore(database);

        Assert.NotNull(await store.GetAsync("md_1", default));
    }

    [Fact]
    public async Task Mark_ready_moves_only_from_the_expected_status_and_keeps_a_direct_uploads_sweep_time()
    {
        await store.AddAsync(Record("md_app", MediaStatus.Uploading, Now.AddHours(1)), default);
        await store.AddAsync(Record("md_direct", MediaStatus.AwaitingUpload, Now.AddMinutes(20)), default);
        var content = new MediaContent("image/png", 42, "beef", 10, 20, ThumbnailState.Pending);

        Assert.False(await store.MarkReadyAsync("md_app", MediaStatus.AwaitingUpload, content, null, default));
        Assert.True(await store.MarkReadyAsync("md_app", MediaStatus.Uploading, content, null, default));
        Assert.False(await store.MarkReadyAsync("md_app", MediaStatus.Uploading, content, null, default));
        Assert.True(await store.MarkReadyAsync("md_direct", MediaStatus.AwaitingUpload, content, null, default));
        Assert.False(await store.MarkReadyAsync("md_gone", MediaStatus.Uploading, content, null, default));

        var app = (await store.GetAsync("md_app", default))!;
        Assert.Equal((MediaStatus.Ready, "image/png", 42L, "beef", 10, 20, ThumbnailState.Pending), (app.Status, app.ContentType, app.Size, app.Sha256, app.Width, app.Height, app.Thumbnail));
        Assert.Null(app.PendingUntil);
        Assert.Equal(Now.AddMinutes(20), (await store.GetAsync("md_direct", default))!.PendingUntil);
    }

    [Fact]
    public async Task A_thumbnail_outcome_keeps_known_dimensions_when_it_brings_none()
    {
        await store.AddAsync(Record("md_1", MediaStatus.Ready, null) with { Width = 5, Height = 6, Thumbnail = ThumbnailState.Pending }, default);

        await store.RecordThumbnailAsync("md_1", new MediaThumbnail(ThumbnailState.Failed, null, null, null), default);
        var failed = (await store.GetAsync("md_1", default))!;
        await store.RecordThumbnailAsync("md_1", new MediaThumbnail(ThumbnailState.Ready, 7, 8, "image/webp"), default);
        var ready = (await store.GetAsync("md_1", default))!;

        Assert.Equal((ThumbnailState.Failed, 5, 6), (failed.Thumbnail, failed.Width, failed.Height));
        Assert.Equal((ThumbnailState.Ready, 7, 8, "image/webp"), (ready.Thumbnail, ready.Width, ready.Height, ready.ThumbnailContentType));
    }

    [Fact]
    public async Task Due_pending_records_and_images_awaiting_a_thumbnail_are_listed_oldest_first()
    {
        await store.AddAsync(Record("md_late", MediaStatus.Uploading, Now.AddMinutes(-1)), default);
        await store.AddAsync(Record("md_early", MediaStatus.AwaitingUpload, Now.AddMinutes(-5)), default);
        await store.AddAsync(Record("md_future", MediaStatus.Uploading, Now.AddMinutes(5)), default);
        await store.AddAsync(Record("md_thumb", MediaStatus.Ready, null) with { Thumbnail = ThumbnailState.Pending }, default);
        await store.AddAsync(Record("md_video", MediaStatus.Ready, null), default);

        var due = await store.ListPendingExpiredAsync(Now, 10, default);
        var awaiting = await store.ListAwaitingThumbnailAsync(10, default);

        Assert.Equal(["md_early", "md_late"], due.Select(r => r.MediaId));
        Assert.Equal(["md_thumb"], awaiting);
        await store.ClearPendingAsync("md_early", default);
        Assert.Equal(["md_late"], (await store.ListPendingExpiredAsync(Now, 10, default)).Select(r => r.MediaId));
    }

    [Fact]
    public async Task Delete_removes_the_record_and_its_conversations()
    {
        await store.AddAsync(Record("md_1", MediaStatus.Ready, null), default);
        await store.AddConversationAsync("md_1", "c_1", default);

        await store.DeleteAsync("md_1", default);
        await store.AddAsync(Record("md_1", MediaStatus.Ready, null), default);

        Assert.Empty((await store.GetAsync("md_1", default))!.ConversationIds);
    }

    [Fact]
    public async Task The_catalog_lets_only_the_uploader_attach_ready_media_with_the_app_download_url()
    {
        var catalog = new MediaCatalog(store);
        await store.AddAsync(Record("md_ready", MediaStatus.Ready, null) with { Width = 640, Height = 480 }, default);
        await store.AddAsync(Record("md_waiting", MediaStatus.AwaitingUpload, Now), default);

        var info = await catalog.FindAttachableAsync("md_ready", "u_owner", default);
        await catalog.RecordAttachedAsync("md_ready", "c_1", default);

        Assert.Equal(new MediaInfo("md_ready", "image/png", 100, 640, 480, "/api/media/md_ready"), info);
        Assert.Null(await catalog.FindAttachableAsync("md_ready", "u_other", default));
        Assert.Null(await catalog.FindAttachableAsync("md_waiting", "u_owner", default));
        Assert.Null(await catalog.FindAttachableAsync("../etc/passwd", "u_owner", default));
        Assert.Equal(["c_1"], (await store.GetAsync("md_ready", default))!.ConversationIds.ToArray());
    }

    private static MediaRecord Record(string id, MediaStatus status, DateTimeOffset? pendingUntil) =>
        new(id, "u_owner", status, "image/png", 100, null, null, null, ThumbnailState.None, null, Now, pendingUntil, []);
}
