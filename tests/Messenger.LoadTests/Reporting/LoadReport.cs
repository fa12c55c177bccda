namespace Messenger.LoadTests.Reporting;

/// <summary>The JSON result file: the machine, the command line, every run and the messenger / relay ratios.</summary>
public sealed record LoadReport(
    string Scenario,
    DateTimeOffset StartedAt,
    string CommandLine,
    MachineInfo Machine,
    IReadOnlyList<RunResult> Runs,
    IReadOnlyList<RatioRow> Ratios,
    bool Passed);
