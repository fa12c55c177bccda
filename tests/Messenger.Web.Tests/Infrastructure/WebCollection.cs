namespace Messenger.Web.Tests.Infrastructure;

/// <summary>One browser for all web tests, which run one after another (they share two CPU cores with everything else).</summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class WebCollection : ICollectionFixture<BrowserFixture>
{
    public const string Name = "web";
}
