namespace Messenger.Testing;

/// <summary>How a <see cref="StandaloneServer"/> is started.</summary>
public sealed record StandaloneServerOptions
{
    /// <summary>The data directory; <see langword="null"/> for a fresh one that the server deletes when disposed.</summary>
    public string? DataDir { get; init; }

    /// <summary>The main gateway instance id; <see langword="null"/> leaves it to the host (a new random id on every start).</summary>
    public string? InstanceId { get; init; } = StandaloneServer.MainInstanceId;

    /// <summary>Command-line pairs for the main host, such as <c>--Messenger:GatewayLease 00:00:01</c>.</summary>
    public IReadOnlyList<string> Settings { get; init; } = [];

    /// <summary>
    /// When set, a second gateway instance (<see cref="StandaloneServer.SecondInstanceId"/>) is started on a port of its
    /// own in front of the same backend, with these command-line pairs.
    /// </summary>
    public IReadOnlyList<string>? SecondGatewaySettings { get; init; }

    /// <summary>Applied to the host's services last, such as a fake clock in place of the system's (the second gateway takes the host's).</summary>
    public Action<Microsoft.Extensions.DependencyInjection.IServiceCollection>? Services { get; init; }
}
