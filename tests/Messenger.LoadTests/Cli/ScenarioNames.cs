namespace Messenger.LoadTests.Cli;

/// <summary>Subcommands of the tool.</summary>
public static class ScenarioNames
{
    public const string Pairs = "pairs";
    public const string Group = "group";
    public const string Connections = "connections";
    public const string Reconnect = "reconnect";
    public const string Sweep = "sweep";
    public const string Relay = "relay";

    public static IReadOnlyList<string> All { get; } = [Pairs, Group, Connections, Reconnect, Sweep, Relay];
}
