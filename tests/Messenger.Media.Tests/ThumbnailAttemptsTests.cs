using Messenger.Core.Domain;
using Messenger.Core.Events;
using Messenger.Core.Ports;
using Messenger.Embedded.Sqlite;
using Messenger.Media.Processing;
using Messenger.Media.Storage;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;

namespace Messenger.Media.Tests;

/// <summary>An image whose processing keeps failing is tried three times in all, then marked failed and never queued again.</summary>
public sealed class ThumbnailAttemptsTests : IAsyncLifetime
{
    private static readonly DateTimeOffset Now = new(2030, 1, 2, 3, 4, 5, TimeSpan.Zero);
    private readonly string dir = TempDirectory.Create();
    private readonly FailingBlobs blobs = new();
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
    public async Task A_thumbnail_that_fails_three_times_is_marked_failed_and_is_not_queued_again()
    {
        await store.AddAsync(PendingImage("md_1"), default);
        var processor = Processor();

        await Assert.ThrowsAsync<IOException>(() => processor.HandleAsync(Uploaded("md_1"), default));
        Assert.Equal(["md_1"], await store.ListAwaitingThumbnailAsync(10, default));
        await Assert.ThrowsAsync<IOException>(() => processor.HandleAsync(Uploaded("md_1"), default));
        await processor.HandleAsync(Uploaded("md_1"), default);

        var record = await store.GetAsync("md_1", default);
        Assert.Equal(ThumbnailState.Failed, record!.Thumbnail);
        Assert.Equal(3, record.ThumbnailAttempts);
        Assert.Equal(3, blobs.Reads);
        Assert.Empty(await store.ListAwaitingThumbnailAsync(10, default));

        await processor.HandleAsync(Uploaded("md_1"), default);
        Assert.Equal(3, blobs.Reads);
    }

    [Fact]
    public async Task After_three_attempts_that_never_finished_the_image_is_marked_failed_without_being_read_again()
    {
        // Three starts each died while decoding this image (the attempts were counted, no outcome was recorded).
        await store.AddAsync(PendingImage("md_2") with { ThumbnailAttempts = 3 }, default);
        var published = new List<string>();
        var backlog = new MediaThumbnailBacklog(store, new RecordingBus(published), TimeProvider.System, NullLogger<MediaThumbnailBacklog>.Instance);

        Assert.Equal(1, await backlog.RequeueAsync(default));
        await Processor().HandleAsync(Uploaded(published.Single()), default);

        Assert.Equal(0, blobs.Reads);
        Assert.Equal(ThumbnailState.Failed, (await store.GetAsync("md_2", default))!.Thumbnail);
        Assert.Equal(0, await backlog.RequeueAsync(default));
    }

    [Fact]
    public async Task Attempts_are_counted_per_record_and_a_missing_record_counts_nothing()
    {
        await store.AddAsync(PendingImage("md_3"), default);

        Assert.Equal(1, await store.CountThumbnailAttemptAsync("md_3", default));
        Assert.Equal(2, await store.CountThumbnailAttemptAsync("md_3", default));
        Assert.Equal(0, await store.CountThumbnailAttemptAsync("md_missing", default));
        Assert.Equal(2, (await store.GetAsync("md_3", default))!.ThumbnailAttempts);
    }

    [Fact]
    public async Task A_database_made_before_attempts_were_counted_gets_the_column_and_keeps_its_media()
    {
        var old = Path.Combine(dir, "old.db");
        await using (var before = new SqliteDatabase(old))
        {
            using var connection = before.OpenRead();
            connection.Execute("""
                CREATE TABLE media(
                    media_id TEXT PRIMARY KEY, owner_id TEXT NOT NULL, status INTEGER NOT NULL, content_type TEXT NOT NULL,
                    size INTEGER NOT NULL, sha256 TEXT, width INTEGER, height INTEGER, thumbnail INTEGER NOT NULL,
                    thumbnail_content_type TEXT, created_at INTEGER NOT NULL, pending_until INTEGER) WITHOUT ROWID;
                """);
            connection.Execute(
                "INSERT INTO media VALUES('md_old', 'u_owner', $ready, 'image/png', 100, 'ab', NULL, NULL, $pending, NULL, 0, NULL)",
                ("$ready", (int)MediaStatus.Ready), ("$pending", (int)ThumbnailState.Pending));
        }

        await using var after = new SqliteDatabase(old);
        var migrated = new SqliteMediaStore(after);
        _ = new SqliteMediaStore(after);

        Assert.Equal(0, (await migrated.GetAsync("md_old", default))!.ThumbnailAttempts);
        Assert.Equal(["md_old"], await migrated.ListAwaitingThumbnailAsync(10, default));
        Assert.Equal(1, await migrated.CountThumbnailAttemptAsync("md_old", default));
    }

    private MediaProcessor Processor() =>
        new(store, blobs, Options.Create(new MediaOptions()), NullLogger<MediaProcessor>.Instance);

    private static MediaUploaded Uploaded(string mediaId) => new(mediaId, string.Empty, string.Empty);

    private static MediaRecord PendingImage(string id) =>
        new(id, "u_owner", MediaStatus.Ready, "image/png", 100, "ab", null, null, ThumbnailState.Pending, null, Now, null, []);

    /// <summary>Storage that fails every read of an original, as a broken disk or a blob store that keeps timing out.</summary>
    private sealed class FailingBlobs : IBlobStore
    {
        public int Reads { get; private set; }

        public Task WriteAsync(string name, Stream content, string contentType, CancellationToken cancellationToken) => throw new IOException("write");

        public Task<Stream?> OpenReadAsync(string name, CancellationToken cancellationToken)
        {
            Reads++;
            throw new IOException("The storage failed.");
        }

        public Task<StoredBlob?> GetAsync(string name, CancellationToken cancellationToken) => throw new IOException("get");

        public Task<int> ReadAsync(string name, long offset, Memory<byte> buffer, CancellationToken cancellationToken) => throw new IOException("read");

        public Task DeleteAsync(string name, CancellationToken cancellationToken) => Task.CompletedTask;
    }

    private sealed class RecordingBus(List<string> published) : IEventBus
    {
        public Task PublishAsync<TEvent>(string topic, TEvent @event, CancellationToken cancellationToken)
            where TEvent : class
        {
            if (@event is MediaUploaded uploaded)
            {
                published.Add(uploaded.MediaId);
            }

            return Task.CompletedTask;
        }
    }
}
