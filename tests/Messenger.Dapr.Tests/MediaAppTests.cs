using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Messenger.Core.Domain;
using Messenger.Core.Events;
using Messenger.Core.Ports;
using Messenger.Dapr.State;
using Messenger.Dapr.Subscriptions;
using Messenger.Dapr.Tests.Fakes;
using Messenger.Dapr.Tests.Infrastructure;
using Messenger.Hosting;
using Messenger.Dapr.Bus;
using Messenger.Media.Processing;
using Messenger.Media.Storage;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace Messenger.Dapr.Tests;

/// <summary>The media app from its own Program.cs in Dapr mode: metadata in the state store, thumbnails through pub/sub.</summary>
public sealed class MediaAppTests : IDisposable
{
    private static readonly DateTimeOffset Now = new(2026, 11, 28, 9, 0, 0, TimeSpan.Zero);
    private readonly TempDirectory directory = new();
    private readonly InMemoryDapr dapr = new();
    private readonly CountingBlobStore blobs;

    public MediaAppTests()
    {
        blobs = new CountingBlobStore(new LocalDiskBlobStore(directory.Path));
    }

    public void Dispose() => directory.Dispose();

    [Fact]
    public async Task Media_subscribes_to_exactly_media_uploaded_with_the_dead_letter_topic()
    {
        await using var media = Media();

        var listed = await media.CreateClient().GetFromJsonAsync<List<DaprSubscription>>(DaprRoutes.Subscribe);

        Assert.Equal([new DaprSubscription(DaprNames.PubSub, Topics.MediaUploaded, DaprRoutes.For(Topics.MediaUploaded), Topics.DeadLetter)], listed);
    }

    [Fact]
    public async Task In_dapr_mode_metadata_is_in_the_state_store_and_thumbnails_go_through_pubsub()
    {
        await using var media = Media();

        Assert.IsType<DaprMediaStore>(media.Services.GetRequiredService<IMediaStore>());
        Assert.IsType<DaprEventBus>(media.Services.GetRequiredService<IEventBus>());
        Assert.Contains(media.Services.GetServices<IHostedService>(), s => s is MediaThumbnailBacklog);
    }

    [Fact]
    public async Task A_media_uploaded_event_delivered_twice_makes_the_thumbnail_once()
    {
        await using var media = Media();
        var client = await AsAsync(media, "u_alice");
        using var body = new ByteArrayContent(TestImages.Png(640, 480));
        body.Headers.ContentType = new MediaTypeHeaderValue("image/png");

        var upload = await client.PostAsync("/api/media", body);
        Assert.Equal(HttpStatusCode.Created, upload.StatusCode);
        var mediaId = (string)(await upload.Content.ReadFromJsonAsync<JsonObject>())!["mediaId"]!;
        var uploaded = Assert.Single(dapr.Published, p => p.Topic == Topics.MediaUploaded);
        Assert.Equal(ThumbnailState.Pending, dapr.Read<MediaRecord>(DaprNames.StateStore, StateKeys.Media(mediaId))!.Thumbnail);

        Assert.Equal("SUCCESS", await PostAsync(media.CreateClient(), DaprRoutes.For(Topics.MediaUploaded), uploaded.CloudEvent));
        Assert.Equal("SUCCESS", await PostAsync(media.CreateClient(), DaprRoutes.For(Topics.MediaUploaded), uploaded.CloudEvent));

        Assert.Equal(1, blobs.Writes[BlobNames.Thumbnail(mediaId)]);
        var record = dapr.Read<MediaRecord>(DaprNames.StateStore, StateKeys.Media(mediaId))!;
        Assert.Equal((ThumbnailState.Ready, 640, 480), (record.Thumbnail, record.Width!.Value, record.Height!.Value));
        var thumbnail = await client.GetAsync($"/api/media/{mediaId}/thumbnail");
        Assert.Equal(HttpStatusCode.OK, thumbnail.StatusCode);
        Assert.Equal("image/webp", thumbnail.Content.Headers.ContentType?.MediaType);
        Assert.Equal((320, 240), TestImages.SizeOf(await thumbnail.Content.ReadAsByteArrayAsync()));
        Assert.Empty(await media.Services.GetRequiredService<IMediaStore>().ListAwaitingThumbnailAsync(10, default));
    }

    [Fact]
    public async Task An_event_for_media_that_is_gone_is_answered_success_and_changes_nothing()
    {
        await using var media = Media();
        var gone = CloudEvents.Wrap(DaprNames.PubSub, Topics.MediaUploaded,
            System.Text.Json.JsonSerializer.SerializeToUtf8Bytes(new MediaUploaded("md_gone", "u_alice", "image/png"), DaprJson.Options));

        Assert.Equal("SUCCESS", await PostAsync(media.CreateClient(), DaprRoutes.For(Topics.MediaUploaded), gone.CloudEvent));

        Assert.Empty(blobs.Writes);
        Assert.False(dapr.Has(DaprNames.StateStore, StateKeys.Media("md_gone")));
    }

    [Fact]
    public async Task An_upload_past_the_quota_kept_in_the_state_store_gets_403_quota_exceeded_and_stores_nothing()
    {
        await using var media = Media(("Messenger:Media:UserQuota", "500000"));
        var client = await AsAsync(media, "u_alice");
        var photo = TestImages.Png(640, 480);
        dapr.Write(DaprNames.StateStore, StateKeys.MediaUsage("u_alice"), new MediaUsage(500_000 - photo.Length + 1));

        using var body = new ByteArrayContent(photo);
        body.Headers.ContentType = new MediaTypeHeaderValue("image/png");
        using var response = await client.PostAsync("/api/media", body);

        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
        Assert.Equal("quota_exceeded", (string?)(await response.Content.ReadFromJsonAsync<JsonObject>())!["code"]);
        Assert.Empty(blobs.Writes);
        Assert.DoesNotContain(dapr.Keys(DaprNames.StateStore), k => k.StartsWith("media:", StringComparison.Ordinal));
        Assert.Equal(500_000 - photo.Length + 1, dapr.Read<MediaUsage>(DaprNames.StateStore, StateKeys.MediaUsage("u_alice"))!.Bytes);
    }

    [Fact]
    public async Task An_upload_counts_its_size_in_the_state_store_and_a_free_space_reserve_above_the_disk_gets_507()
    {
        await using (var media = Media())
        {
            using var body = new ByteArrayContent(TestImages.Png(64, 64));
            body.Headers.ContentType = new MediaTypeHeaderValue("image/png");
            using var stored = await (await AsAsync(media, "u_alice")).PostAsync("/api/media", body);
            Assert.Equal(HttpStatusCode.Created, stored.StatusCode);
            Assert.Equal(body.Headers.ContentLength, dapr.Read<MediaUsage>(DaprNames.StateStore, StateKeys.MediaUsage("u_alice"))!.Bytes);
        }

        var reserve = new DriveInfo(directory.Path).AvailableFreeSpace + (1L << 40);
        await using var full = Media(("Messenger:Media:FreeSpaceReserve", reserve.ToString(System.Globalization.CultureInfo.InvariantCulture)));
        using var refusedBody = new ByteArrayContent(TestImages.Png(64, 64));
        refusedBody.Headers.ContentType = new MediaTypeHeaderValue("image/png");
        using var refused = await (await AsAsync(full, "u_bob")).PostAsync("/api/media", refusedBody);

        Assert.Equal(HttpStatusCode.InsufficientStorage, refused.StatusCode);
        Assert.Equal("insufficient_storage", (string?)(await refused.Content.ReadFromJsonAsync<JsonObject>())!["code"]);
        Assert.Equal(0, await full.Services.GetRequiredService<IMediaStore>().GetUsageAsync("u_bob", default));
        Assert.Single(blobs.Writes);
    }

    private DaprAppFactory<MediaProgram> Media(params (string Key, string Value)[] extra)
    {
        var settings = new Dictionary<string, string>
        {
            ["Messenger:Media:BlobConnectionStringSecret"] = string.Empty,
            ["Messenger:Media:LocalDirectory"] = directory.Path,
        };
        foreach (var (key, value) in extra)
        {
            settings[key] = value;
        }

        return new(settings, dapr, services: s => s.AddSingleton<IBlobStore>(blobs));
    }

    private static async Task<HttpClient> AsAsync(DaprAppFactory<MediaProgram> app, string userId)
    {
        var token = await app.Services.GetRequiredService<SessionService>().StartAsync(new User(userId, userId, userId, "x", Now), default);
        var client = app.CreateClient();
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);
        return client;
    }

    private static async Task<string?> PostAsync(HttpClient client, string route, byte[] cloudEvent)
    {
        using var content = new ByteArrayContent(cloudEvent);
        content.Headers.ContentType = new MediaTypeHeaderValue(CloudEvents.MediaType);
        using var response = await client.PostAsync(route, content);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return (await response.Content.ReadFromJsonAsync<TopicStatus>())?.Status;
    }
}
