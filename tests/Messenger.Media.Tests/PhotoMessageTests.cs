using System.Net;
using Messenger.Media.Tests.Infrastructure;
using SixLabors.ImageSharp;

namespace Messenger.Media.Tests;

/// <summary>The whole path: a photo uploaded by one user, sent over the WebSocket, arrives at another with a url that works for them alone.</summary>
[Collection(AzuriteCollection.Name)]
public sealed class PhotoMessageTests(AzuriteFixture azurite)
{
    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task A_photo_sent_by_one_user_arrives_at_the_other_with_a_working_url_and_thumbnail_that_only_members_can_use(bool blobStorage)
    {
        await using var host = await MediaHost.StartAsync(blobStorage ? azurite.ConnectionString : null);
        var alice = await host.Api.RegisterAsync();
        var bob = await host.Api.RegisterAsync();
        var carol = await host.Api.RegisterAsync();
        var conversation = await host.Api.ConversationAsync(alice, "direct", bob);
        await using var aliceSocket = await WsClient.ConnectAsync(host.BaseAddress, alice.Token);
        await using var bobSocket = await WsClient.ConnectAsync(host.BaseAddress, bob.Token);
        var photo = SampleMedia.Jpeg(800, 600);
        var upload = await host.Api.UploadAsync(alice, photo, "image/jpeg");

        await aliceSocket.SendAsync(new { type = "send", conversationId = conversation, clientMessageId = "photo-1", mediaId = upload.MediaId });
        var sent = await aliceSocket.WaitForAsync(f => WsClient.Type(f) is "sent" or "error");
        var frame = await bobSocket.WaitForAsync(f => WsClient.Type(f) == "message");

        Assert.Equal("sent", WsClient.Type(sent));
        var media = frame["message"]!["media"]!;
        Assert.Equal(
            (upload.MediaId, "image/jpeg", photo.Length, 800, 600, $"/api/media/{upload.MediaId}"),
            ((string?)media["mediaId"], (string?)media["contentType"], (long)media["size"]!, (int)media["width"]!, (int)media["height"]!, (string?)media["url"]));
        var url = (string)media["url"]!;
        var download = await host.Api.DownloadAsync(bob, url);
        Assert.Equal(HttpStatusCode.OK, download.Status);
        Assert.Equal(SampleMedia.Sha256(photo), SampleMedia.Sha256(download.Body));
        (HttpStatusCode Status, byte[] Body, string? ContentType) thumbnail = default;
        await Eventually.HoldsAsync(
            async () => (thumbnail = await host.Api.DownloadAsync(bob, url + "/thumbnail")).Status == HttpStatusCode.OK, "the thumbnail is there", MediaWait.Background);
        var info = Image.Identify(thumbnail.Body);
        Assert.Equal((320, 240), (info.Width, info.Height));
        Assert.Equal(HttpStatusCode.NotFound, (await host.Api.DownloadAsync(carol, url)).Status);
        Assert.Equal(HttpStatusCode.NotFound, (await host.Api.DownloadAsync(carol, url + "/thumbnail")).Status);
    }
}
