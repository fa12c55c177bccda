using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Messenger.Core.Domain;
using Messenger.Core.Events;
using Messenger.Dapr.Tests.Infrastructure;

namespace Messenger.Dapr.Tests;

/// <summary>Gateway x2 + messages + push + media through the fake sidecar: a photo from one user to another in Dapr mode.</summary>
public sealed class MediaTopologyTests : IAsyncLifetime
{
    private Topology topology = null!;

    public async Task InitializeAsync() => topology = await Topology.StartAsync(withMedia: true);

    public async Task DisposeAsync() => await topology.DisposeAsync();

    [Fact]
    public async Task A_photo_sent_on_gateway_1_reaches_gateway_2_with_a_thumbnail_and_a_link_only_members_can_use()
    {
        var alice = await topology.RegisterAsync("alice");
        var bob = await topology.RegisterAsync("bob");
        var carol = await topology.RegisterAsync("carol");
        var photo = TestImages.Png(800, 600);
        using var body = new ByteArrayContent(photo);
        body.Headers.ContentType = new MediaTypeHeaderValue("application/octet-stream");
        var upload = await topology.MediaAs(alice.Token).PostAsync("/api/media", body);
        Assert.Equal(HttpStatusCode.Created, upload.StatusCode);
        var mediaId = (string)(await upload.Content.ReadFromJsonAsync<JsonObject>())!["mediaId"]!;
        await Eventually.HoldsAsync(() => topology.DeliveredCount(Topics.MediaUploaded) == 1, "the thumbnail event handled by the media app", TestSettings.Timeout);

        using var messages = topology.MessagesAs(alice.Token);
        var created = await messages.PostAsJsonAsync("/api/conversations", new { type = "direct", memberIds = new[] { bob.UserId } });
        var conversationId = (string)(await created.Content.ReadFromJsonAsync<JsonObject>())!["conversationId"]!;
        await using var aliceSocket = await topology.Gateway1.Server.ConnectWsAsync(alice.Token);
        await using var bobSocket = await topology.Gateway2.Server.ConnectWsAsync(bob.Token);
        await aliceSocket.SendAsync(new { type = "send", conversationId, clientMessageId = "photo-1", text = "look", mediaId });
        await aliceSocket.WaitForTypeAsync("sent");
        var message = await bobSocket.WaitForTypeAsync("message");

        var media = message["message"]!["media"]!;
        Assert.Equal(mediaId, (string?)media["mediaId"]);
        Assert.Equal("image/png", (string?)media["contentType"]);
        Assert.Equal((photo.Length, 800, 600), ((int)media["size"]!, (int)media["width"]!, (int)media["height"]!));
        var url = (string)media["url"]!;
        Assert.Equal(MediaPaths.Download(mediaId), url);
        using var bobMedia = topology.MediaAs(bob.Token);
        Assert.Equal(photo, await bobMedia.GetByteArrayAsync(url));
        Assert.Equal((320, 240), TestImages.SizeOf(await bobMedia.GetByteArrayAsync(MediaPaths.Thumbnail(mediaId))));
        Assert.Equal(HttpStatusCode.NotFound, (await topology.MediaAs(carol.Token).GetAsync(url)).StatusCode);
        Assert.Empty(topology.DeliveryFailures);
    }
}
