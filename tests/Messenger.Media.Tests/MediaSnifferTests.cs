using System.Text;
using Messenger.Media.Ingest;
using Messenger.Media.Tests.Infrastructure;

namespace Messenger.Media.Tests;

public sealed class MediaSnifferTests
{
    public static TheoryData<string, byte[]> Allowed => new()
    {
        { "image/jpeg", SampleMedia.Jpeg(8, 8) },
        { "image/png", SampleMedia.Png(8, 8) },
        { "image/gif", SampleMedia.Gif(8, 8) },
        { "image/webp", SampleMedia.Webp(8, 8) },
        { "video/mp4", SampleMedia.Mp4(1024) },
        { "video/mp4", SampleMedia.IsoMedia("mp42", 1024) },
        { "video/webm", SampleMedia.Webm(1024) },
        { "video/quicktime", SampleMedia.QuickTime(1024) },
        { "video/quicktime", [0, 0, 0, 8, .. "wide"u8, 0, 0, 0, 16, .. "mdat"u8, .. SampleMedia.Noise(64, 3)] },
    };

    public static TheoryData<string, byte[]> Refused => new()
    {
        { "HTML", SampleMedia.Html() },
        { "SVG", "<svg xmlns=\"http://www.w3.org/2000/svg\"><script>alert(1)</script></svg>"u8.ToArray() },
        { "PDF", "%PDF-1.7\n%\u00e2\u00e3\n1 0 obj"u8.ToArray() },
        { "ZIP", [0x50, 0x4B, 0x03, 0x04, .. SampleMedia.Noise(60, 1)] },
        { "HEIC image", SampleMedia.IsoMedia("heic", 256) },
        { "3GPP video", SampleMedia.IsoMedia("3gp5", 256) },
        { "M4A audio", SampleMedia.IsoMedia("M4A ", 256) },
        { "Matroska", SampleMedia.Ebml("matroska", 256) },
        { "WAVE", [.. "RIFF"u8, 0x24, 0, 0, 0, .. "WAVEfmt "u8, .. SampleMedia.Noise(48, 2)] },
        { "noise", SampleMedia.Noise(256, 42) },
        { "truncated PNG signature", [0x89, (byte)'P', (byte)'N'] },
    };

    [Theory]
    [MemberData(nameof(Allowed))]
    public void Allowed_types_are_told_from_their_bytes(string expected, byte[] bytes) =>
        Assert.Equal(expected, MediaSniffer.Sniff(bytes.AsSpan(0, Math.Min(bytes.Length, MediaSniffer.HeaderLength)))?.ContentType);

    [Theory]
    [MemberData(nameof(Refused))]
    public void Anything_else_is_refused(string what, byte[] bytes) =>
        Assert.True(MediaSniffer.Sniff(bytes.AsSpan(0, Math.Min(bytes.Length, MediaSniffer.HeaderLength))) is null, $"{what} passed the sniffer");

    [Fact]
    public void A_webm_header_cut_short_before_its_doc_type_is_refused()
    {
        var webm = SampleMedia.Webm(64);
        var docType = Encoding.ASCII.GetBytes("webm");
        var cut = webm.AsSpan().IndexOf(docType);
        Assert.Null(MediaSniffer.Sniff(webm.AsSpan(0, cut + 2)));
        Assert.Equal(MediaType.Webm, MediaSniffer.Sniff(webm.AsSpan(0, cut + docType.Length)));
    }

    [Theory]
    [InlineData("image/png", "image/png")]
    [InlineData("IMAGE/JPEG; charset=binary", "image/jpeg")]
    [InlineData("video/quicktime", "video/quicktime")]
    [InlineData("text/html", null)]
    [InlineData("image/svg+xml", null)]
    [InlineData("", null)]
    public void Declared_types_are_matched_against_the_allow_list(string declared, string? expected) =>
        Assert.Equal(expected, MediaType.Find(declared)?.ContentType);
}
