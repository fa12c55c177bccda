using Messenger.Core.Domain;
using Messenger.Core.Ports;
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

/// <summary>
/// Storage usage per owner in the state store (<see cref="MediaQuotaContract"/>, its key <c>media-usage:{userId}</c>)
/// and the sweep of unsent media, on the in-memory DaprClient mock.
/// </summary>
public sealed class DaprMediaQuotaTests : MediaQuotaContract
{
    private readonly InMemoryDapr dapr = new();
    private readonly DaprMediaStore store;

    protected override IMediaStore Store => store;

    public DaprMediaQuotaTests()
    {
        store = new DaprMediaStore(new StateRecords(dapr.Client, Options.Create(new DaprOptions())), Options.Create(new DaprOptions()));
    }

    [Fact]
    public async Task Usage_is_kept_under_the_owners_usage_key_which_goes_when_nothing_is_counted()
    {
        Assert.True(await store.TryAddAsync(Record("md_1", "u_a", 600), 1000, default));
        Assert.False(await store.TryAddAsync(Record("md_2", "u_a", 401), 1000, default));

        Assert.Equal(600, dapr.Read<MediaUsage>(DaprNames.StateStore, StateKeys.MediaUsage("u_a"))!.Bytes);
        Assert.False(dapr.Has(DaprNames.StateStore, StateKeys.Media("md_2")));
        await store.DeleteAsync("md_1", default);
        Assert.False(dapr.Has(DaprNames.StateStore, StateKeys.MediaUsage("u_a")));
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
}
