using System.Globalization;

namespace Messenger.ReliabilityTests.Infrastructure;

/// <summary>
/// How hard the fault tests push, from the environment: the defaults keep CI quick; the full run raises them
/// (see docs/reliability.md).
/// </summary>
public static class FaultSettings
{
    public const string KillsVariable = "MESSENGER_FAULT_KILLS";
    public const string SeedVariable = "MESSENGER_FAULT_SEED";
    public const string PropertyRunsVariable = "MESSENGER_PROPERTY_RUNS";

    /// <summary>SIGKILLs in the crash test: 3 by default (CI), at least 20 in the full run.</summary>
    public static int Kills => Positive(KillsVariable, 3);

    /// <summary>Cases per property-based test: 100 by default.</summary>
    public static int PropertyRuns => Positive(PropertyRunsVariable, 100);

    /// <summary>The seed of the random kill moments; a fresh one unless given, printed by the test to replay a run.</summary>
    public static int Seed =>
        int.TryParse(Environment.GetEnvironmentVariable(SeedVariable), NumberStyles.Integer, CultureInfo.InvariantCulture, out var seed)
            ? seed
            : Random.Shared.Next();

    private static int Positive(string variable, int fallback) =>
        int.TryParse(Environment.GetEnvironmentVariable(variable), NumberStyles.Integer, CultureInfo.InvariantCulture, out var value) && value > 0
            ? value
            : fallback;
}
