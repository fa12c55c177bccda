using System.Net;
using System.Text.Json.Nodes;
using Messenger.DaprEndToEnd.Tests.Infrastructure;
using Messenger.Media.Tests.Infrastructure;
using SixLabors.ImageSharp;
using SixLabors.ImageSharp.PixelFormats;
using Xunit.Abstractions;

namespace Messenger.DaprEndToEnd.Tests;

/// <summary>The media app over the secret store's blob account (Azurite) and the push app against the fake FCM.</summary>
[Collection(DaprRunCollection.Name)]
public sealed class MediaAndPushTests(DaprRun run, ITestOutputHelper output) : RunTest(run, output)
{
    private const string Container = "media";

    [Fact]
    public async Task A_photo_uploaded_through_the_edge_lands_in_Azurite_reaches_the_other_gateway_and_gets_its_thumbnail()
    {
        var alice = await Run.Api.RegisterAsync(prefix: "alice");
        var bob = await Run.Api.RegisterAsync(prefix: "bob");
        var chat = await Run.Api.DirectAsync(alice, bob);
        var photo = Photo(640, 480);

        var upload = await Run.Api.UploadAsync(alice, photo, "image/png");
        Assert.True(upload.Status == HttpStatusCode.Created, $"{upload.Status}: {upload.Body?.ToJsonString()}");
        Assert.Equal(("image/png", 640L, 480L), ((string?)upload.Body!["contentType"], (long)upload.Body["width"]!, (long)upload.Body["height"]!));
        var mediaId = upload.MediaId;
        Assert.Contains($"{mediaId}/original", await Run.Azurite.BlobNamesAsync(Container));

        await using var aliceWs = await Run.Gateway(1).ConnectAsync(alice);
        await using var bobWs = await Run.Gateway(2).ConnectAsync(bob);
        await OnlineAsync(alice, bob, online: true);
        await aliceWs.SendAsync(new { type = "send", conversationId = chat, clientMessageId = "photo-1", mediaId });
        Assert.Equal("sent", WsClient.Type(await aliceWs.WaitForAsync(f => WsClient.IsOutcomeOf(f, "photo-1"), Wait)));
        var media = MessageOf(await bobWs.WaitForAsync(f => WsClient.Type(f) == "message", Wait))["media"]!.AsObject();
        Assert.Equal((mediaId, $"/api/media/{mediaId}"), ((string?)media["mediaId"], (string?)media["url"]));

        // Bob, a member of the conversation it was sent in, is sent to a short-lived read URL on Azurite.
        using (var redirect = await Run.Api.GetWithoutRedirectAsync(bob, $"/api/media/{mediaId}"))
        {
            Assert.Equal(HttpStatusCode.Redirect, redirect.StatusCode);
            Assert.StartsWith($"http://127.0.0.1:{Run.Azurite.Port}/{AzuriteFixture.AccountName}/{Container}/", redirect.Headers.Location!.ToString());
        }

        var original = await Run.Api.DownloadAsync(bob, $"/api/media/{mediaId}");
        Assert.Equal(HttpStatusCode.OK, original.Status);
        Assert.Equal(photo, original.Body);

        // The thumbnail is made on media-uploaded (pub/sub, media to itself).
        await Eventually.HoldsAsync(
            async () => (await Run.Azurite.BlobNamesAsync(Container)).Contains($"{mediaId}/thumbnail"),
            "the thumbnail blob is written",
            Wait);
        var thumbnail = await Run.Api.DownloadAsync(bob, $"/api/media/{mediaId}/thumbnail");
        Assert.Equal(HttpStatusCode.OK, thumbnail.Status);
        using var image = Image.Load(thumbnail.Body);
        Assert.True(Math.Max(image.Width, image.Height) <= 320, $"thumbnail is {image.Width}x{image.Height}");
        Assert.Equal(640.0 / 480.0, (double)image.Width / image.Height, precision: 1);

        // Nobody else may read it.
        var mallory = await Run.Api.RegisterAsync(prefix: "mallory");
        var (status, _, _) = await Run.Api.DownloadAsync(mallory, $"/api/media/{mediaId}");
        Assert.Equal(HttpStatusCode.NotFound, status);
    }

    [Fact]
    public async Task A_member_who_is_offline_gets_one_push_through_FCM_and_an_online_member_none()
    {
        var alice = await Run.Api.RegisterAsync(prefix: "alice");
        var bob = await Run.Api.RegisterAsync(prefix: "bob");
        var carol = await Run.Api.RegisterAsync(prefix: "carol");
        var bobDevice = $"bob-phone-{Guid.NewGuid():N}";
        var carolDevice = $"carol-phone-{Guid.NewGuid():N}";
        foreach (var (user, token) in new[] { (bob, bobDevice), (carol, carolDevice) })
        {
            var (registered, _) = await Run.Api.PostAsync(user, "/api/devices", new { token, platform = "android" });
            Assert.Equal(HttpStatusCode.NoContent, registered);
        }

        var group = await Run.Api.GroupAsync(alice, bob, carol);
        await using var carolWs = await Run.Gateway(2).ConnectAsync(carol);
        await OnlineAsync(alice, carol, online: true);
        await using var aliceWs = await Run.Gateway(1).ConnectAsync(alice);
        var sent = await aliceWs.SendMessageAsync(group, "Lunch at noon?");
        Assert.Equal("sent", WsClient.Type(sent));

        await Eventually.HoldsAsync(() => Pushes(bobDevice).Count > 0, "a push to bob's device", Wait);
        await carolWs.WaitForAsync(f => WsClient.Type(f) == "message", Wait);
        await Task.Delay(TimeSpan.FromSeconds(1));
        var push = Assert.Single(Pushes(bobDevice));
        Assert.Equal("Lunch at noon?", (string?)push["notification"]!["body"]);
        Assert.Equal(group, (string?)push["data"]!["conversationId"]);
        Assert.Equal((string?)sent["messageId"], (string?)push["data"]!["messageId"]);
        Assert.Equal("1", (string?)push["data"]!["seq"]);
        Assert.Empty(Pushes(carolDevice));
    }

    private IReadOnlyList<JsonNode> Pushes(string deviceToken) => Run.PushesTo(deviceToken);

    private static byte[] Photo(int width, int height)
    {
        using var image = new Image<Rgba32>(width, height);
        for (var y = 0; y < height; y++)
        {
            for (var x = 0; x < width; x++)
            {
                image[x, y] = new Rgba32((byte)(x * 255 / width), (byte)(y * 255 / height), 128);
            }
        }

        using var stream = new MemoryStream();
        image.SaveAsPng(stream);
        return stream.ToArray();
    }
}
