using Messenger.LoadTests.Metrics;

namespace Messenger.LoadTests.Client;

/// <summary>A registered user of a run, with what it has received (kept across reconnects).</summary>
public sealed class LoadUser(int index, string userId, string username, string token)
{
    public int Index { get; } = index;

    public string UserId { get; } = userId;

    public string Username { get; } = username;

    public string Token { get; } = token;

    public ReceiverState Received { get; } = new();
}
