using Messenger.Core.Domain;
using Messenger.Core.Services;
using Messenger.Embedded.Sqlite;
using Messenger.Media.Storage;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;

namespace Messenger.Media.Tests;

/// <summary>The sweep of media never sent, on the embedded store and the local disk, on a fake clock.</summary>
public sealed class MediaJanitorTests : IAsyncLifetime
{
    private static readonly DateTimeOffset Start = new(2030, 1, 2, 3, 4, 5, TimeSpan.Zero);
    private readonly string dir = TempDirectory.Create();
    private readonly FakeTimeProvider time = new(Start);
    private readonly MediaOptions options = new() { UnsentLifetime = TimeSpan.FromHours(24) };
    private SqliteDatabase database = null!;
    private SqliteMediaStore store = null!;
    private LocalDiskBlobStore blobs = null!;
    private MediaJanitor janitor = null!;

    public Task InitializeAsync()
    {
        database = new SqliteDatabase(Path.Combine(dir, "messenger.db"));
        store = new SqliteMediaStore(database);
        blobs = new LocalDiskBlobStore(Path.Combine(dir, "media"));
        janitor = new MediaJanitor(store, blobs, Options.Create(options), time, NullLogger<MediaJanitor>.Instance);
        return Task.CompletedTask;
    }

    public async Task DisposeAsync()
    {
        await database.DisposeAsync();
        TempDirectory.TryDelete(dir);
    }

    [Fact]
    public async Task Media_never_sent_goes_with_its_thumbnail_after_the_window_and_gives_its_bytes_back_while_sent_media_stays()
    {
        await StoreReadyAsync("md_unsent");
        await StoreReadyAsync("md_sent");
        await new MediaCatalog(store).RecordAttachedAsync("md_sent", "c_1", default);
        Assert.Equal(2 * (1000 + 100), await store.GetUsageAsync("u_a", default));

        time.Advance(TimeSpan.FromHours(23));
        Assert.Equal(0, await janitor.SweepAsync(default));
        Assert.NotNull(await store.GetAsync("md_unsent", default));

        time.Advance(TimeSpan.FromHours(1) + TimeSpan.FromSeconds(1));
        Assert.Equal(2, await janitor.SweepAsync(default));

        Assert.Null(await store.GetAsync("md_unsent", default));
        Assert.Null(await blobs.GetAsync(BlobNames.Original("md_unsent"), default));
        Assert.Null(await blobs.GetAsync(BlobNames.Thumbnail("md_unsent"), default));
        var sent = await store.GetAsync("md_sent", default);
        Assert.NotNull(sent);
        Assert.Null(sent.PendingUntil);
        Assert.NotNull(await blobs.GetAsync(BlobNames.Original("md_sent"), default));
        Assert.NotNull(await blobs.GetAsync(BlobNames.Thumbnail("md_sent"), default));
        Assert.Equal(1000 + 100, await store.GetUsageAsync("u_a", default));

        time.Advance(TimeSpan.FromDays(30));
        Assert.Equal(0, await janitor.SweepAsync(default));
        Assert.NotNull(await store.GetAsync("md_sent", default));
    }

    [Fact]
    public async Task A_direct_upload_whose_staging_blob_was_swept_waits_for_the_rest_of_its_window()
    {
        await StoreReadyAsync("md_direct", pendingUntil: Start.AddMinutes(25));
        await blobs.WriteAsync(BlobNames.Staging("md_direct"), new MemoryStream(new byte[10]), "video/mp4", default);

        time.Advance(TimeSpan.FromMinutes(26));
        Assert.Equal(1, await janitor.SweepAsync(default));

        Assert.Null(await blobs.GetAsync(BlobNames.Staging("md_direct"), default));
        Assert.Equal(Start.AddHours(24), (await store.GetAsync("md_direct", default))!.PendingUntil);

        time.Advance(TimeSpan.FromHours(24));
        Assert.Equal(1, await janitor.SweepAsync(default));
        Assert.Null(await store.GetAsync("md_direct", default));
        Assert.Equal(0, await store.GetUsageAsync("u_a", default));
    }

    /// <summary>What an upload through the app leaves: a ready record charged 1000 bytes, due when its window ends, and a 100-byte thumbnail.</summary>
    private async Task StoreReadyAsync(string mediaId, DateTimeOffset? pendingUntil = null)
    {
        await store.AddAsync(
            new MediaRecord(mediaId, "u_a", MediaStatus.Ready, "image/png", 1000, "ab", 10, 10, ThumbnailState.Pending, null, Start,
                pendingUntil ?? Start + options.UnsentLifetime, [], ChargedBytes: 1000),
            default);
        await blobs.WriteAsync(BlobNames.Original(mediaId), new MemoryStream(new byte[1000]), "image/png", default);
        await blobs.WriteAsync(BlobNames.Thumbnail(mediaId), new MemoryStream(new byte[100]), "image/webp", default);
        await store.RecordThumbnailAsync(mediaId, new MediaThumbnail(ThumbnailState.Ready, 10, 10, "image/webp", 100), default);
    }
}
