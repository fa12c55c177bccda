namespace Messenger.IntegrationTests.Infrastructure;

/// <summary>One host with two gateway instances, shared by the tests of a class; each test registers its own users.</summary>
public sealed class ServerFixture : IAsyncLifetime
{
    public StandaloneServer Server { get; private set; } = null!;

    public async Task InitializeAsync() => Server = await StandaloneServer.StartWithSecondGatewayAsync([], []);

    public async Task DisposeAsync() => await Server.DisposeAsync();
}
