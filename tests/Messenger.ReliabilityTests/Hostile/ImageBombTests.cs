using System.Globalization;
using System.Net;
using Messenger.ReliabilityTests.Infrastructure;
using Xunit.Abstractions;

namespace Messenger.ReliabilityTests.Hostile;

/// <summary>
/// Thumbnails of hostile and of huge images: decoding is bounded, so the server's memory stays within +200 MB
/// (issue 16, finding 6). Memory is the child host's resident set, its peak read from <c>/proc</c>.
/// </summary>
public sealed class ImageBombTests(ITestOutputHelper output)
{
    private const long AllowedGrowth = 200L * 1024 * 1024;

    [Fact]
    public async Task A_small_png_declaring_30000_by_30000_pixels_gets_no_thumbnail_and_memory_stays_within_200_mb()
    {
        var bomb = BlankPng.OneBitGray(30_000, 30_000);
        Assert.True(bomb.Length < 1024 * 1024, $"the bomb is {bomb.Length} bytes");

        var (thumbnail, growth) = await UploadAndMeasureAsync(bomb, "30,000 x 30,000 (1-bit PNG)");

        Assert.False(thumbnail);
        Assert.True(growth <= AllowedGrowth, $"the server's resident memory grew by {growth / 1048576.0:F1} MiB (peak)");
    }

    [Fact]
    public async Task A_49_megapixel_image_costs_no_more_than_200_mb_to_thumbnail_or_to_refuse()
    {
        var (_, growth) = await UploadAndMeasureAsync(BlankPng.Rgb(7_000, 7_000), "7,000 x 7,000 (RGB PNG)");

        Assert.True(growth <= AllowedGrowth, $"the server's resident memory grew by {growth / 1048576.0:F1} MiB (peak)");
    }

    [Fact]
    public async Task An_image_just_under_the_pixel_limit_gets_its_thumbnail_within_200_mb()
    {
        var (thumbnail, growth) = await UploadAndMeasureAsync(BlankPng.Rgb(5_600, 5_600), "5,600 x 5,600 (RGB PNG)");

        Assert.True(thumbnail);
        Assert.True(growth <= AllowedGrowth, $"the server's resident memory grew by {growth / 1048576.0:F1} MiB (peak)");
    }

    /// <summary>Uploads to a fresh child host and waits for the outcome; whether a thumbnail was made, and the peak growth of the host's memory.</summary>
    private async Task<(bool Thumbnail, long Growth)> UploadAndMeasureAsync(byte[] image, string what)
    {
        using var data = new TempDirectory();
        await using var host = await ChildHost.StartAsync(data.Path);
        Assert.True(ProcessMemory.Available(host.ProcessId), "needs Linux /proc");
        var alice = await host.Api.RegisterAsync();

        // A small image first, so that the upload and thumbnail paths are not met for the first time by the one measured.
        Assert.True(await ThumbnailOfAsync(host, alice, BlankPng.Rgb(640, 480)));
        var before = ProcessMemory.Resident(host.ProcessId);
        ProcessMemory.ResetPeak(host.ProcessId);

        var thumbnail = await ThumbnailOfAsync(host, alice, image);

        var growth = ProcessMemory.Peak(host.ProcessId) - before;
        output.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"{what}, {image.Length:N0} bytes: thumbnail {(thumbnail ? "made" : "none")}; RSS before {before / 1048576.0:F1} MiB, peak +{growth / 1048576.0:F1} MiB"));
        Assert.False(host.HasExited);
        return (thumbnail, growth);
    }

    /// <summary>Uploads the image and waits until its thumbnail is made (true) or given up on (false).</summary>
    private static async Task<bool> ThumbnailOfAsync(ChildHost host, TestUser user, byte[] image)
    {
        var upload = await host.Api.UploadAsync(user, image, "image/png");
        Assert.Equal(HttpStatusCode.Created, upload.Status);
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(60);
        while (DateTime.UtcNow < deadline)
        {
            var (status, body) = await host.Api.GetAsync(user, $"/api/media/{upload.MediaId}/thumbnail");
            if (status == HttpStatusCode.OK)
            {
                return true;
            }

            if (!((string?)body?["detail"] ?? string.Empty).Contains("not made yet", StringComparison.Ordinal))
            {
                Assert.Equal(HttpStatusCode.NotFound, status);
                return false;
            }

            await Task.Delay(100);
        }

        throw new TimeoutException("The thumbnail was neither made nor given up on within 60 s.");
    }
}
