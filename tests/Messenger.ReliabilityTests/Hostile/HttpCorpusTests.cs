using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Messenger.ReliabilityTests.Infrastructure;

namespace Messenger.ReliabilityTests.Hostile;

/// <summary>
/// Every malformed HTTP request of Corpus/http against the real host, sent byte for byte: the status and problem
/// code the corpus names, and no stored change.
/// </summary>
public sealed class HttpCorpusTests(CorpusWorld world) : IClassFixture<CorpusWorld>
{
    public static IEnumerable<object[]> Cases => CorpusCase.Load("http");

    [Theory]
    [MemberData(nameof(Cases))]
    public Task A_malformed_request_gets_its_status_and_code_and_changes_nothing(CorpusCase corpusCase) => RunAsync(corpusCase);

    private async Task RunAsync(CorpusCase corpusCase)
    {
        var (auth, status, code) = (corpusCase.Expect[0], int.Parse(corpusCase.Expect[1], System.Globalization.CultureInfo.InvariantCulture), corpusCase.Expect[2]);
        var raw = world.Expand(corpusCase.Bytes());
        var split = IndexOf(raw, "\n\n"u8);
        var head = Encoding.ASCII.GetString(raw, 0, split).Split('\n');
        var body = raw[(split + 2)..];
        var (method, path) = (head[0].Split(' ')[0], head[0].Split(' ')[1]);
        var headers = head.Skip(1).Where(h => h.Length > 0).ToList();
        if (world.Authorization(auth) is { } authorization)
        {
            headers.Add("Authorization: " + authorization);
        }

        var before = await world.SnapshotAsync();
        var (gotStatus, gotBody) = await RawHttp.SendAsync(world.Server.BaseAddress, method, path, headers, body);

        Assert.True(status == gotStatus, $"{method} {path[..Math.Min(path.Length, 120)]}: expected {status}, got {gotStatus}: {gotBody[..Math.Min(gotBody.Length, 300)]}");
        if (code.Length > 0)
        {
            var problem = JsonNode.Parse(gotBody) as JsonObject;
            Assert.Equal(code, (string?)problem?["code"]);
        }

        Assert.DoesNotContain(world.Foreign, gotBody, StringComparison.Ordinal);
        Assert.Equal(before, await world.SnapshotAsync());
    }

    private static int IndexOf(byte[] haystack, ReadOnlySpan<byte> needle)
    {
        var at = haystack.AsSpan().IndexOf(needle);
        return at >= 0 ? at : throw new InvalidOperationException("A corpus request has no blank line after its head.");
    }
}
