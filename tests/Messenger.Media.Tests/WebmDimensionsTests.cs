using Messenger.Media.Processing.Video;
using Messenger.Media.Tests.Infrastructure;
using static Messenger.Media.Tests.VideoFiles;

namespace Messenger.Media.Tests;

/// <summary>Display dimensions of WebM files read from their EBML Tracks element, and nothing at all from broken ones.</summary>
public sealed class WebmDimensionsTests
{
    private const string Webm = "video/webm";

    [Fact]
    public async Task A_webm_reports_the_pixel_size_of_its_video_track()
    {
        var file = VideoFiles.Webm(Info(), Element(TracksId, WebmVideoEntry(640, 360)), Cluster());

        Assert.Equal((640, 360), await MeasureAsync(file, Webm));
    }

    [Fact]
    public async Task A_webm_with_a_display_size_reports_the_display_size()
    {
        var file = VideoFiles.Webm(Info(), Element(TracksId, WebmVideoEntry(720, 480, displayWidth: 853, displayHeight: 480)), Cluster());

        Assert.Equal((853, 480), await MeasureAsync(file, Webm));
    }

    [Fact]
    public async Task A_display_size_given_as_an_aspect_ratio_stretches_the_pixel_width()
    {
        var file = VideoFiles.Webm(Element(TracksId, WebmVideoEntry(720, 480, displayWidth: 16, displayHeight: 9, displayUnit: 3)));

        Assert.Equal((853, 480), await MeasureAsync(file, Webm));
    }

    [Fact]
    public async Task A_display_size_in_centimetres_is_not_taken_for_pixels()
    {
        var file = VideoFiles.Webm(Element(TracksId, WebmVideoEntry(1280, 720, displayWidth: 30, displayHeight: 17, displayUnit: 1)));

        Assert.Equal((1280, 720), await MeasureAsync(file, Webm));
    }

    [Fact]
    public async Task A_live_webm_with_segment_and_clusters_of_unknown_size_is_measured()
    {
        byte[] file =
        [
            .. EbmlHeader(),
            .. UnknownSizeElement(SegmentId, Info(), Element(TracksId, WebmVideoEntry(1920, 1080)), UnknownSizeElement(ClusterId, Uint(TimecodeId, 0))),
        ];

        Assert.Equal((1920, 1080), await MeasureAsync(file, Webm));
    }

    [Fact]
    public async Task Tracks_of_unknown_size_are_read_until_their_entries_end()
    {
        var file = VideoFiles.Webm(Info(), UnknownSizeElement(TracksId, WebmAudioEntry(), WebmVideoEntry(426, 240)), Cluster());

        Assert.Equal((426, 240), await MeasureAsync(file, Webm));
    }

    [Fact]
    public async Task The_video_track_is_found_behind_an_audio_track()
    {
        var file = VideoFiles.Webm(Info(), Element(TracksId, WebmAudioEntry(), WebmVideoEntry(1080, 1920)), Cluster());

        Assert.Equal((1080, 1920), await MeasureAsync(file, Webm));
    }

    [Fact]
    public async Task An_audio_only_webm_has_no_dimensions()
    {
        var file = VideoFiles.Webm(Info(), Element(TracksId, WebmAudioEntry()), Cluster());

        Assert.Null(await MeasureAsync(file, Webm));
    }

    [Fact]
    public async Task A_cluster_of_unknown_size_before_any_tracks_ends_the_search()
    {
        var file = VideoFiles.Webm(Info(), UnknownSizeElement(ClusterId, Uint(TimecodeId, 0)), Element(TracksId, WebmVideoEntry(640, 360)));

        Assert.Null(await MeasureAsync(file, Webm));
    }

    [Fact]
    public async Task A_video_larger_than_16384_pixels_on_a_side_has_no_dimensions()
    {
        Assert.Null(await MeasureAsync(VideoFiles.Webm(Element(TracksId, WebmVideoEntry(20000, 360))), Webm));
        Assert.Null(await MeasureAsync(VideoFiles.Webm(Element(TracksId, WebmVideoEntry(640, 360, displayWidth: 1_000_000, displayHeight: 360))), Webm));
        Assert.Null(await MeasureAsync(VideoFiles.Webm(Element(TracksId, WebmVideoEntry(ulong.MaxValue, 360))), Webm));
    }

    [Fact]
    public async Task A_webm_whose_elements_after_the_header_are_noise_has_no_dimensions()
    {
        Assert.Null(await MeasureAsync(SampleMedia.Webm(50_000), Webm));
    }

    [Fact]
    public async Task Every_cut_of_a_webm_short_of_its_tracks_end_has_no_dimensions()
    {
        byte[] file = [.. VideoFiles.Webm(Info(), Element(TracksId, WebmAudioEntry(), WebmVideoEntry(640, 360)))];

        for (var length = 0; length < file.Length; length++)
        {
            Assert.Null(await MeasureAsync(file[..length], Webm));
        }

        Assert.Equal((640, 360), await MeasureAsync(file, Webm));
    }

    [Fact]
    public async Task An_element_claiming_more_bytes_than_its_parent_has_no_dimensions()
    {
        byte[] overlongTracks = [0x16, 0x54, 0xAE, 0x6B, 0x01, 0x00, 0x00, 0x00, 0x7F, 0xFF, 0xFF, 0xFF, .. WebmVideoEntry(640, 360)];
        byte[] hostile = [.. EbmlHeader(), .. Element(SegmentId, Info(), overlongTracks)];

        Assert.Null(await MeasureAsync(hostile, Webm));
    }

    [Fact]
    public async Task Bytes_changed_at_random_never_make_the_reader_throw_or_read_beyond_its_budget()
    {
        var original = VideoFiles.Webm(Info(), Element(TracksId, WebmAudioEntry(), WebmVideoEntry(720, 480, 853, 480)), Cluster());
        await CountingSource.AssertSurvivesRandomDamageAsync(original, Webm, 7);
    }
}
