namespace Messenger.DaprEndToEnd.Tests.Infrastructure;

/// <summary>Every test of this suite, one after another, over one run of the apps (starting it takes most of the time).</summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class DaprRunCollection : ICollectionFixture<DaprRun>
{
    public const string Name = "dapr-run";
}
