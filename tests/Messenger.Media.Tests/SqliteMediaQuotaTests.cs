using Messenger.Core.Domain;
using Messenger.Core.Errors;
using Messenger.Core.Services;
using Messenger.Embedded.Sqlite;

namespace Messenger.Media.Tests;

/// <summary>Storage usage per owner in the embedded store: reservations, charges, thumbnails, deletes, unsent deletes.</summary>
public sealed class SqliteMediaQuotaTests : IAsyncLifetime
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
    public async Task Reservations_count_per_owner_and_one_past_the_quota_stores_nothing()
    {
        Assert.True(await store.TryAddAsync(Record("md_1", "u_a", 600), 1000, default));
        Assert.True(await store.TryAddAsync(Record("md_2", "u_a", 400), 1000, default));
        Assert.False(await store.TryAddAsync(Record("md_3", "u_a", 1), 1000, default));
        Assert.True(await store.TryAddAsync(Record("md_4", "u_b", 1000), 1000, default));

        Assert.Equal(1000, await store.GetUsageAsync("u_a", default));
        Assert.Equal(1000, await store.GetUsageAsync("u_b", default));
        Assert.Equal(0, await store.GetUsageAsync("u_c", default));
        Assert.Null(await store.GetAsync("md_3", default));
    }

    [Fact]
    public async Task Parallel_reservations_of_one_owner_never_pass_the_quota_together()
    {
        var results = await Task.WhenAll(Enumerable.Range(0, 24).Select(i =>
            Task.Run(() => store.TryAddAsync(Record($"md_{i}", "u_a", 100), 1000, default))));

        Assert.Equal(10, results.Count(r => r));
        Assert.Equal(1000, await store.GetUsageAsync("u_a", default));
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
        Assert.False(await store.AddConversationAsync("md_unsent", "c_1", default));
    }

    [Fact]
    public async Task Ready_media_is_due_for_the_sweep_at_the_time_given_and_a_direct_upload_keeps_its_own()
    {
        await store.AddAsync(Record("md_app", "u_a", 100) with { Status = MediaStatus.Uploading, PendingUntil = Now.AddHours(1) }, default);
        await store.AddAsync(Record("md_direct", "u_a", 100) with { Status = MediaStatus.AwaitingUpload, PendingUntil = Now.AddMinutes(25) }, default);
        var content = new MediaContent("video/mp4", 100, "ab", null, null, ThumbnailState.Pending);

        await store.MarkReadyAsync("md_app", MediaStatus.Uploading, content, Now.AddDays(1), default);
        await store.MarkReadyAsync("md_direct", MediaStatus.AwaitingUpload, content, Now.AddDays(1), default);
        await store.SetPendingAsync("md_direct", Now.AddDays(2), default);

        Assert.Equal(Now.AddDays(1), (await store.GetAsync("md_app", default))!.PendingUntil);
        Assert.Equal(Now.AddDays(2), (await store.GetAsync("md_direct", default))!.PendingUntil);
        Assert.Equal(["md_app"], (await store.ListPendingExpiredAsync(Now.AddDays(1).AddSeconds(1), 10, default)).Select(r => r.MediaId));
    }

    [Fact]
    public async Task A_database_from_before_quotas_counts_its_ready_media_for_their_owners()
    {
        await database.DisposeAsync();
        var path = Path.Combine(dir, "old.db");
        await using (var connection = new Microsoft.Data.Sqlite.SqliteConnection($"Data Source={path};Pooling=False"))
        {
            await connection.OpenAsync();
            await using var command = connection.CreateCommand();
            command.CommandText = $"""
                CREATE TABLE media(media_id TEXT PRIMARY KEY, owner_id TEXT NOT NULL, status INTEGER NOT NULL, content_type TEXT NOT NULL,
                    size INTEGER NOT NULL, sha256 TEXT, width INTEGER, height INTEGER, thumbnail INTEGER NOT NULL, thumbnail_content_type TEXT,
                    created_at INTEGER NOT NULL, pending_until INTEGER, thumbnail_attempts INTEGER NOT NULL DEFAULT 0) WITHOUT ROWID;
                INSERT INTO media VALUES('md_1', 'u_a', {(int)MediaStatus.Ready}, 'image/png', 300, 'ab', 1, 1, 2, NULL, 0, NULL, 0);
                INSERT INTO media VALUES('md_2', 'u_a', {(int)MediaStatus.Ready}, 'image/png', 200, 'ab', 1, 1, 2, NULL, 0, NULL, 0);
                INSERT INTO media VALUES('md_3', 'u_a', {(int)MediaStatus.Uploading}, 'image/png', 0, NULL, NULL, NULL, 0, NULL, 0, 5, 0);
                """;
            await command.ExecuteNonQueryAsync();
        }

        database = new SqliteDatabase(path);
        store = new SqliteMediaStore(database);

        Assert.Equal(500, await store.GetUsageAsync("u_a", default));
        await store.DeleteAsync("md_1", default);
        Assert.Equal(200, await store.GetUsageAsync("u_a", default));
    }

    private static MediaRecord Record(string id, string owner, long charged) =>
        new(id, owner, MediaStatus.Ready, "image/png", charged, "ab", null, null, ThumbnailState.None, null, Now, null, [], ChargedBytes: charged);
}
