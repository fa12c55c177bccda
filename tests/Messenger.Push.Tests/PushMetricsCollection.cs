namespace Messenger.Push.Tests;

/// <summary>Tests that read the process-wide meter: run alone, never beside another test that sends pushes.</summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class PushMetricsCollection
{
    public const string Name = "push metrics";
}
