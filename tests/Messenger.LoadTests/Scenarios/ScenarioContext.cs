using System.Security.Cryptography;
using Messenger.LoadTests.Cli;
using Messenger.LoadTests.Client;
using Messenger.LoadTests.Metrics;

namespace Messenger.LoadTests.Scenarios;

/// <summary>What every scenario step needs: options, target, HTTP client, WebSocket connector and a run prefix.</summary>
public sealed class ScenarioContext : IDisposable
{
    private const string Alphabet = "abcdefghijklmnopqrstuvwxyz0123456789";

    public ScenarioContext(LoadOptions options, TargetEndpoint target, int sourceAddresses = 1)
    {
        Options = options;
        Target = target;
        Api = new ApiClient(target.BaseUri);
        Connector = new WebSocketConnector(sourceAddresses);
        Counters = options.CountersUrl is { } admin && target.Name == TargetEndpoint.MessengerName ? new SidecarCounters(admin) : null;
        RunPrefix = "lt" + RandomNumberGenerator.GetString(Alphabet, 6);
    }

    public LoadOptions Options { get; }

    public TargetEndpoint Target { get; }

    public ApiClient Api { get; }

    public WebSocketConnector Connector { get; }

    /// <summary>The sidecar double's counters, when the target runs over it (--counters-url).</summary>
    public SidecarCounters? Counters { get; }

    /// <summary>Prefix of the usernames of this run, so runs against one server never collide.</summary>
    public string RunPrefix { get; }

    public void Dispose()
    {
        Api.Dispose();
        Connector.Dispose();
        Counters?.Dispose();
    }
}
