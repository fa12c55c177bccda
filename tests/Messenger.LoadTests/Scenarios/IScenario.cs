using Messenger.LoadTests.Reporting;

namespace Messenger.LoadTests.Scenarios;

/// <summary>A load scenario run against one target.</summary>
public interface IScenario
{
    /// <summary>Source addresses the connector needs for this scenario.</summary>
    int SourceAddresses { get; }

    Task<IReadOnlyList<RunResult>> RunAsync(ScenarioContext context, CancellationToken cancellationToken);
}
