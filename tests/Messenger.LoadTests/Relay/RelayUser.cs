namespace Messenger.LoadTests.Relay;

/// <summary>A relay account and its open connections (copy-on-write, so fan-out reads without a lock).</summary>
public sealed class RelayUser(string userId, string username, string password, string token)
{
    private readonly Lock _gate = new();
    private RelayConnection[] _connections = [];

    public string UserId { get; } = userId;

    public string Username { get; } = username;

    public string Password { get; } = password;

    public string Token { get; } = token;

    public RelayConnection[] Connections => Volatile.Read(ref _connections);

    public void Add(RelayConnection connection)
    {
        lock (_gate)
        {
            _connections = [.. _connections, connection];
        }
    }

    public void Remove(RelayConnection connection)
    {
        lock (_gate)
        {
            _connections = _connections.Where(c => c != connection).ToArray();
        }
    }
}
