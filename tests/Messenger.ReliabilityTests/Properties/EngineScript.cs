using FsCheck;
using FsCheck.Fluent;

namespace Messenger.ReliabilityTests.Properties;

/// <summary>
/// A generated interleaving: batches of steps; the steps of one batch run at once (racing for the conversation's
/// serial owner), the batches one after another.
/// </summary>
public sealed record EngineScript(IReadOnlyList<IReadOnlyList<EngineOp>> Batches)
{
    public const int Users = 5;
    public const int MaxMembers = 4;

    public static Arbitrary<EngineScript> Arbitrary() =>
        Arb.From(
            Gen.Choose(1, 4).SelectMany(size => Op().ListOf(size)).Select(batch => (IReadOnlyList<EngineOp>)batch.ToList())
                .ListOf().Select(batches => new EngineScript(batches.Where(b => b.Count > 0).ToList())),
            Shrink);

    public override string ToString() =>
        string.Join(" | ", Batches.Select(b => string.Join(" & ", b)));

    private static Gen<EngineOp> Op() =>
        Gen.Frequency(
            (6, from actor in Gen.Choose(0, Users - 1)
                from client in Gen.Elements("a", "b", "c", "d", "e", "f")
                select new EngineOp(EngineOpKind.Append, actor, actor, client, null, null)),
            (4, from actor in Gen.Choose(0, Users - 1)
                from delivered in Gen.Choose(-1, 40)
                from read in Gen.Choose(-1, 40)
                select new EngineOp(EngineOpKind.MoveCursor, actor, actor, "", delivered < 0 ? null : delivered, read < 0 ? null : read)),
            (1, from actor in Gen.Choose(0, Users - 1)
                from target in Gen.Choose(0, Users - 1)
                select new EngineOp(EngineOpKind.AddMember, actor, target, "", null, null)),
            (1, from actor in Gen.Choose(0, Users - 1)
                from target in Gen.Choose(0, Users - 1)
                select new EngineOp(EngineOpKind.RemoveMember, actor, target, "", null, null)));

    /// <summary>Shorter scripts first: drop a batch, or drop one step of a batch.</summary>
    private static IEnumerable<EngineScript> Shrink(EngineScript script)
    {
        for (var i = 0; i < script.Batches.Count; i++)
        {
            yield return new EngineScript(script.Batches.Where((_, j) => j != i).ToList());
        }

        for (var i = 0; i < script.Batches.Count; i++)
        {
            if (script.Batches[i].Count > 1)
            {
                for (var k = 0; k < script.Batches[i].Count; k++)
                {
                    var index = k;
                    var smaller = script.Batches[i].Where((_, j) => j != index).ToList();
                    yield return new EngineScript(script.Batches.Select((b, j) => j == i ? smaller : b).ToList());
                }
            }
        }
    }
}
