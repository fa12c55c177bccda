using System.Buffers.Binary;
using Messenger.Media.Processing.Video;
using Messenger.Media.Tests.Infrastructure;
using static Messenger.Media.Tests.VideoFiles;

namespace Messenger.Media.Tests;

/// <summary>Display dimensions of MP4 and QuickTime movies read from their boxes, and nothing at all read from broken ones.</summary>
public sealed class IsoMediaDimensionsTests
{
    private const string Mp4 = "video/mp4";
    private const string QuickTime = "video/quicktime";

    [Fact]
    public async Task A_faststart_mp4_reports_its_video_track_size()
    {
        var file = FastStart(Moov(VideoTrak(1280, 720)));

        Assert.Equal((1280, 720), await MeasureAsync(file, Mp4));
    }

    [Fact]
    public async Task An_mp4_with_the_moov_after_the_media_data_reports_its_video_track_size()
    {
        var file = MoovAtEnd(Moov(VideoTrak(1920, 1080)));

        Assert.Equal((1920, 1080), await MeasureAsync(file, Mp4));
    }

    [Theory]
    [InlineData(90)]
    [InlineData(270)]
    public async Task A_track_turned_by_a_quarter_reports_width_and_height_swapped(int degrees)
    {
        var file = MoovAtEnd(Moov(VideoTrak(1920, 1080, degrees == 90 ? Rotated90 : Rotated270)));

        Assert.Equal((1080, 1920), await MeasureAsync(file, Mp4));
    }

    [Fact]
    public async Task A_track_turned_upside_down_keeps_width_and_height()
    {
        var file = FastStart(Moov(VideoTrak(640, 480, Rotated180)));

        Assert.Equal((640, 480), await MeasureAsync(file, Mp4));
    }

    [Fact]
    public async Task A_version_1_track_header_is_read_with_its_64_bit_times()
    {
        var file = FastStart(Moov(VideoTrak(3840, 2160, Rotated90, version: 1)));

        Assert.Equal((2160, 3840), await MeasureAsync(file, Mp4));
    }

    [Fact]
    public async Task A_fractional_track_size_is_rounded_to_whole_pixels()
    {
        var file = FastStart(Moov(VideoTrak(853.336, 479.6)));

        Assert.Equal((853, 480), await MeasureAsync(file, Mp4));
    }

    [Fact]
    public async Task An_mdat_with_a_64_bit_size_is_skipped_to_the_moov_behind_it()
    {
        byte[] file = [.. Ftyp("isom"), .. LargeBox("mdat", SampleMedia.Noise(7000, 1)), .. Moov(VideoTrak(720, 1280))];

        Assert.Equal((720, 1280), await MeasureAsync(file, Mp4));
    }

    [Fact]
    public async Task A_moov_of_size_zero_runs_to_the_end_of_the_file()
    {
        byte[] file = [.. Ftyp("isom"), .. Mdat(3000), .. ToEndBox("moov", Box("mvhd", new byte[100]), VideoTrak(320, 240))];

        Assert.Equal((320, 240), await MeasureAsync(file, Mp4));
    }

    [Fact]
    public async Task A_quicktime_movie_with_qt_brand_and_component_handler_reports_its_size()
    {
        var file = MoovAtEnd(Moov(VideoTrak(1920, 1080, Rotated90, quickTime: true)), brand: "qt  ");

        Assert.Equal((1080, 1920), await MeasureAsync(file, QuickTime));
    }

    [Fact]
    public async Task A_quicktime_movie_without_ftyp_is_measured_from_its_moov()
    {
        byte[] file = [.. Box("wide"), .. Mdat(4000), .. Moov(VideoTrak(640, 360, quickTime: true))];

        Assert.Equal((640, 360), await MeasureAsync(file, QuickTime));
    }

    [Fact]
    public async Task The_video_track_is_found_behind_an_audio_track()
    {
        var file = FastStart(Moov(AudioTrak(), VideoTrak(1024, 576)));

        Assert.Equal((1024, 576), await MeasureAsync(file, Mp4));
    }

    [Fact]
    public async Task An_audio_only_mp4_has_no_dimensions()
    {
        var file = FastStart(Moov(AudioTrak()));

        Assert.Null(await MeasureAsync(file, Mp4));
    }

    [Fact]
    public async Task An_mp4_without_moov_has_no_dimensions()
    {
        byte[] file = [.. Ftyp("isom"), .. Mdat(3000)];

        Assert.Null(await MeasureAsync(file, Mp4));
    }

    [Fact]
    public async Task An_mp4_whose_boxes_after_ftyp_are_noise_has_no_dimensions()
    {
        Assert.Null(await MeasureAsync(SampleMedia.Mp4(50_000), Mp4));
        Assert.Null(await MeasureAsync(SampleMedia.QuickTime(50_000), QuickTime));
    }

    [Fact]
    public async Task A_track_larger_than_16384_pixels_on_a_side_has_no_dimensions()
    {
        Assert.Null(await MeasureAsync(FastStart(Moov(VideoTrak(16385, 720))), Mp4));
        Assert.Null(await MeasureAsync(FastStart(Moov(VideoTrak(65535, 65535))), Mp4));
        Assert.Equal((16384, 16384), await MeasureAsync(FastStart(Moov(VideoTrak(16384, 16384))), Mp4));
    }

    [Fact]
    public async Task Every_cut_of_a_movie_short_of_its_moov_end_has_no_dimensions()
    {
        var moov = Moov(VideoTrak(1280, 720));
        var file = MoovAtEnd(moov);

        for (var length = 0; length < file.Length; length++)
        {
            Assert.Null(await MeasureAsync(file[..length], Mp4));
        }
    }

    [Fact]
    public async Task A_moov_claiming_more_bytes_than_the_file_has_no_dimensions()
    {
        var file = MoovAtEnd(Moov(VideoTrak(1280, 720)));
        var moovAt = file.Length - Moov(VideoTrak(1280, 720)).Length;
        BinaryPrimitives.WriteUInt32BigEndian(file.AsSpan(moovAt), 0x7FFF_FFFF);

        Assert.Null(await MeasureAsync(file, Mp4));
    }

    [Theory]
    [InlineData(2u)]
    [InlineData(7u)]
    public async Task A_box_smaller_than_its_own_header_has_no_dimensions(uint size)
    {
        var file = FastStart(Moov(VideoTrak(1280, 720)));
        BinaryPrimitives.WriteUInt32BigEndian(file.AsSpan(TrakOffset), size);

        Assert.Null(await MeasureAsync(file, Mp4));
    }

    [Fact]
    public async Task A_64_bit_size_smaller_than_its_16_byte_header_has_no_dimensions()
    {
        var moov = Box("moov", Box("mvhd", new byte[100]), [0, 0, 0, 1, .. "trak"u8, 0, 0, 0, 0, 0, 0, 0, 15], VideoTrak(1280, 720));

        Assert.Null(await MeasureAsync(FastStart(moov), Mp4));
    }

    [Fact]
    public async Task A_64_bit_size_beyond_any_file_has_no_dimensions()
    {
        byte[] file = [.. Ftyp("isom"), 0, 0, 0, 1, .. "mdat"u8, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xF0, .. Moov(VideoTrak(1280, 720))];

        Assert.Null(await MeasureAsync(file, Mp4));
    }

    [Fact]
    public async Task Thousands_of_empty_boxes_before_the_moov_end_the_search_without_reading_far()
    {
        var free = Box("free");
        byte[] file = [.. Ftyp("isom"), .. Enumerable.Repeat(free, 100_000).SelectMany(b => b), .. Moov(VideoTrak(1280, 720))];
        var source = new CountingSource(file);

        Assert.Null(await source.MeasureAsync(Mp4));
        Assert.True(source.BytesServed <= RangeReader.ByteBudget, $"{source.BytesServed} bytes read");
    }

    [Fact]
    public async Task Tracks_nested_absurdly_deep_are_not_followed()
    {
        var nested = VideoTrak(1280, 720);
        for (var depth = 0; depth < 1000; depth++)
        {
            nested = Box("trak", nested);
        }

        Assert.Null(await MeasureAsync(FastStart(Moov(nested)), Mp4));
    }

    [Fact]
    public async Task Bytes_changed_at_random_never_make_the_reader_throw_or_read_beyond_its_budget()
    {
        var original = MoovAtEnd(Moov(AudioTrak(), VideoTrak(1280, 720, Rotated90)));
        await CountingSource.AssertSurvivesRandomDamageAsync(original, Mp4, 42);
    }

    [Fact]
    public async Task A_moov_behind_100_MB_of_media_data_is_found_reading_only_its_headers()
    {
        const long MediaData = 100L * 1024 * 1024;
        byte[] head = [.. Ftyp("isom"), 0, 0, 0, 1, .. "mdat"u8, .. BigEndian(16 + MediaData)];
        var moov = Moov(AudioTrak(), VideoTrak(1920, 1080, Rotated90));
        var source = new SparseSource(head, head.Length + MediaData, moov);

        var size = await VideoGeometry.MeasureAsync(Mp4, source.Length, source.ReadAsync, default);

        Assert.Equal((1080, 1920), size);
        Assert.True(source.BytesServed < 256 * 1024, $"{source.BytesServed} bytes read");
    }

    /// <summary>Where the first trak of a faststart file begins: after ftyp, the moov header and mvhd.</summary>
    private static int TrakOffset => Ftyp("isom").Length + 8 + Box("mvhd", new byte[100]).Length;

    private static byte[] BigEndian(long value)
    {
        var bytes = new byte[8];
        BinaryPrimitives.WriteInt64BigEndian(bytes, value);
        return bytes;
    }
}
