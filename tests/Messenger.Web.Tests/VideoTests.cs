using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.RegularExpressions;
using Messenger.Core.Ports;
using Messenger.Web.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace Messenger.Web.Tests;

/// <summary>
/// Video messages: a video bubble that streams from the media path (never fetched whole into a blob), and attaching
/// a video. The test videos are headers only, so the browser cannot play them; playback is not what is tested.
/// </summary>
[Collection(WebCollection.Name)]
public sealed class VideoTests(BrowserFixture browser)
{
    private static readonly TimeSpan MeasureLimit = TimeSpan.FromSeconds(15);

    [Fact]
    public async Task A_video_sent_over_http_shows_as_a_streaming_video_bubble_sized_from_its_dimensions()
    {
        await using var people = await TwoPeopleChat.StartAsync(browser, "a clip is coming");
        var (server, alice, bob) = (people.Server, people.Alice, people.Bob);
        await Expect(bob.MessageWithText("a clip is coming")).ToBeVisibleAsync();

        // Alice uploads a portrait video (a 3:4 box, which a 16:9 placeholder would not match) and sends it over HTTP,
        // once the server has read its dimensions, so that the message carries them.
        var (aliceId, aliceToken) = await alice.SessionAsync();
        var chat = await alice.Page.EvaluateAsync<string>("() => decodeURIComponent(location.hash.slice(4))");
        using var http = server.CreateHttpClient(aliceToken);
        var mediaId = await UploadAsync(server.Api, new TestUser(aliceId, alice.Username, aliceToken), TestVideos.Mp4(480, 640), "video/mp4");
        await WaitUntilMeasuredAsync(server, mediaId);
        var sent = await http.PostAsJsonAsync($"/api/conversations/{chat}/messages", new { clientMessageId = "video-1", mediaId });
        Assert.Equal(HttpStatusCode.Created, sent.StatusCode);
        using (var message = JsonDocument.Parse(await sent.Content.ReadAsStringAsync()))
        {
            var media = message.RootElement.GetProperty("media");
            Assert.Equal((480, 640), (media.GetProperty("width").GetInt32(), media.GetProperty("height").GetInt32()));
        }

        // Bob sees a labelled, keyboard-reachable video in the photo's 240 px box, with the video's aspect ratio.
        var video = bob.Message(2).GetByTestId("video");
        await Expect(video).ToBeVisibleAsync();
        await Expect(video).ToHaveAttributeAsync("width", "180");
        await Expect(video).ToHaveAttributeAsync("height", "240");
        await Expect(video).ToHaveAttributeAsync("aria-label", new Regex("^Video from alice"));
        await Expect(video).ToHaveAttributeAsync("controls", "");
        await Expect(video).ToHaveAttributeAsync("preload", "metadata");
        await Expect(bob.Message(2).Locator("img")).ToHaveCountAsync(0);
        await Expect(bob.Conversations.First).ToContainTextAsync("Video");
        await video.FocusAsync();
        await Expect(video).ToBeFocusedAsync();

        // It streams from the media path itself (the token in the query), not from a blob of the whole file.
        var src = await video.GetAttributeAsync("src");
        Assert.NotNull(src);
        var (_, bobToken) = await bob.SessionAsync();
        Assert.StartsWith($"/api/media/{mediaId}?access_token=", src);
        Assert.Equal(bobToken, QueryToken(src));

        // The server answers a range of it with 206, as a seeking video asks.
        var range = await bob.Page.EvaluateAsync<JsonElement>(
            """
            async (src) => {
              const response = await fetch(src, { headers: { Range: 'bytes=0-99' } });
              const body = await response.arrayBuffer();
              return { status: response.status, length: body.byteLength, contentRange: response.headers.get('content-range') };
            }
            """, src);
        Assert.Equal(206, range.GetProperty("status").GetInt32());
        Assert.Equal(100, range.GetProperty("length").GetInt32());
        Assert.StartsWith("bytes 0-99/", range.GetProperty("contentRange").GetString());

        // The token is in that one src attribute and nowhere a person or a screen reader would meet it.
        Assert.DoesNotContain(bobToken, await bob.Page.EvaluateAsync<string>("() => document.body.innerText"));
        var elsewhere = await bob.Page.EvaluateAsync<string>(
            """
            () => {
              const clone = document.documentElement.cloneNode(true);
              for (const v of clone.querySelectorAll('video[src]')) v.removeAttribute('src');
              return clone.outerHTML;
            }
            """);
        Assert.DoesNotContain(bobToken, elsewhere);
        Assert.DoesNotContain(aliceToken, elsewhere);

        // This file has no frames, so the browser gives up on it: the bubble says so, and offers to try again.
        var problem = bob.Message(2).GetByText("This video could not be loaded.");
        await Expect(problem).ToBeVisibleAsync();
        await Expect(video).ToHaveAttributeAsync("aria-label", "Video from alice (could not be loaded)");
        await bob.Message(2).GetByRole(AriaRole.Button, new() { Name = "Try again" }).ClickAsync();
        await Expect(video).ToHaveAttributeAsync("src", src);
        await Expect(problem).ToBeVisibleAsync();

        Assert.Empty(alice.Errors);
        Assert.Empty(bob.Errors);
    }

    [Fact]
    public async Task A_video_is_attached_previewed_and_sent_and_the_other_side_gets_a_video_bubble()
    {
        await using var people = await TwoPeopleChat.StartAsync(browser, "watch this");
        var (_, alice, bob) = (people.Server, people.Alice, people.Bob);

        var attach = alice.Page.GetByRole(AriaRole.Button, new() { Name = "Attach a photo or video", Exact = true });
        Assert.Contains("video/mp4", await alice.Page.Locator("#file-input").GetAttributeAsync("accept"));
        var chooser = await alice.Page.RunAndWaitForFileChooserAsync(() => attach.ClickAsync());
        await chooser.SetFilesAsync(new FilePayload { Name = "clip.mp4", MimeType = "video/mp4", Buffer = TestVideos.Mp4(640, 360) });

        // The chosen file previews in a <video> from an object URL; the photo preview stays hidden.
        var preview = alice.Page.GetByLabel("The video to send");
        await Expect(preview).ToBeVisibleAsync();
        Assert.StartsWith("blob:", await preview.GetAttributeAsync("src"));
        await Expect(alice.Page.GetByAltText("The photo to send")).ToBeHiddenAsync();
        await Expect(alice.Page.Locator("#attachment-name")).ToHaveTextAsync("clip.mp4");
        await Expect(alice.Page.GetByRole(AriaRole.Button, new() { Name = "Remove video" })).ToBeVisibleAsync();

        await alice.TestId("message-input").FillAsync("my clip");
        await alice.TestId("send").ClickAsync();
        await Expect(alice.Page.Locator("#attachment")).ToBeHiddenAsync();

        // Alice's own bubble plays the file she chose; once stored, it keeps it.
        var mine = alice.MessageWithText("my clip").GetByTestId("video");
        await Expect(mine).ToBeVisibleAsync();
        Assert.StartsWith("blob:", await mine.GetAttributeAsync("src"));
        await Expect(alice.Message(2)).ToContainTextAsync("my clip");

        // Bob's streams from the server: a 16:9 box whether or not the dimensions were read before it was sent.
        var theirs = bob.Message(2).GetByTestId("video");
        await Expect(theirs).ToBeVisibleAsync();
        await Expect(bob.Message(2)).ToContainTextAsync("my clip");
        await Expect(theirs).ToHaveAttributeAsync("width", "240");
        await Expect(theirs).ToHaveAttributeAsync("height", "135");
        await Expect(theirs).ToHaveAttributeAsync("aria-label", new Regex("^Video from alice"));
        Assert.Matches("^/api/media/[^/?]+\\?access_token=", await theirs.GetAttributeAsync("src"));
        await Expect(alice.StatusOf("my clip")).ToHaveAttributeAsync("data-status", "read");
        await bob.ScreenshotAsync("video.png");

        Assert.Empty(alice.Errors);
        Assert.Empty(bob.Errors);
    }

    private static async Task<string> UploadAsync(ApiClient api, TestUser user, byte[] bytes, string contentType)
    {
        var uploaded = await api.UploadAsync(user, bytes, contentType);
        Assert.Equal(HttpStatusCode.Created, uploaded.Status);
        Assert.Equal(contentType, (string?)uploaded.Body!["contentType"]);
        return uploaded.MediaId;
    }

    /// <summary>Video dimensions are read after the upload; waits until they are recorded.</summary>
    private static async Task WaitUntilMeasuredAsync(StandaloneServer server, string mediaId)
    {
        var store = server.Services.GetRequiredService<IMediaStore>();
        using var timeout = new CancellationTokenSource(MeasureLimit);
        while ((await store.GetAsync(mediaId, timeout.Token))?.Width is null)
        {
            await Task.Delay(50, timeout.Token);
        }
    }

    private static string? QueryToken(string src) =>
        Microsoft.AspNetCore.WebUtilities.QueryHelpers.ParseQuery(new Uri(new Uri("http://x"), src).Query).TryGetValue("access_token", out var token)
            ? token.ToString()
            : null;
}
