namespace Messenger.LoadTests.Relay;

/// <summary>A relay account and its open connections (copy-on-write, so fan-out reads without a lock).</summary>
public sealed class RelayUser(string userId, string username, string password, string token)
{
    private readonly Lock gate = new();
    private RelayConnection[] connections = [];

    public string UserId { get; } = userId;

    public string Username { get; } = username;

    public string Password { get; } = password;

    public string Token { get; } = token;

    public RelayConnection[] Connections => Volatile.Read(ref connections);

    public void Add(RelayConnection connection)
    {
        lock (gate)
        {
            connections = [.. connections, connection];
        }
    }

    public void Remove(RelayConnection connection)
    {
        lock (gate)
        {
            connections = connections.Where(c => c != connection).ToArray();
        }
    }
}
