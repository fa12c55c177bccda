namespace Messenger.ReliabilityTests.Hostile;

/// <summary>
/// One malformed input of the corpus (Corpus/websocket or Corpus/http): its file, what it must get, and why it is
/// in the corpus. The columns of <see cref="Expect"/> are those of the corpus's cases.tsv.
/// </summary>
public sealed record CorpusCase(string Kind, string File, IReadOnlyList<string> Expect, string Why)
{
    /// <summary>The cases of <paramref name="kind"/>.</summary>
    public static IEnumerable<object[]> Load(string kind)
    {
        var dir = Path.Combine(AppContext.BaseDirectory, "Corpus", kind);
        foreach (var line in System.IO.File.ReadAllLines(Path.Combine(dir, "cases.tsv")))
        {
            if (line.Length == 0 || line.StartsWith('#'))
            {
                continue;
            }

            var columns = line.Split('\t');
            yield return [new CorpusCase(kind, columns[0], columns[1..^1], columns[^1])];
        }
    }

    public byte[] Bytes() => System.IO.File.ReadAllBytes(Path.Combine(AppContext.BaseDirectory, "Corpus", Kind, File));

    public override string ToString() => $"{File} ({Why})";
}
