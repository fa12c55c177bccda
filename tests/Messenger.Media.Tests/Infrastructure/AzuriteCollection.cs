namespace Messenger.Media.Tests.Infrastructure;

/// <summary>The test classes that share one Azurite process (they run one after the other).</summary>
[CollectionDefinition(Name)]
public sealed class AzuriteCollection : ICollectionFixture<AzuriteFixture>
{
    public const string Name = "azurite";
}
