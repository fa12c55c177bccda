using System.Collections.Concurrent;
using Messenger.LoadTests.Client;
using Messenger.LoadTests.Protocol;
using Messenger.LoadTests.Reporting;

namespace Messenger.LoadTests.Scenarios;

/// <summary>Registering users, creating conversations and opening connections, with bounded parallelism.</summary>
public static class ScenarioSetup
{
    private const string Password = "load-test-password";

    public static async Task<LoadUser[]> RegisterAsync(ScenarioContext context, int count, CancellationToken cancellationToken)
    {
        var users = new LoadUser[count];
        var done = 0;
        await LiveProgress.RunAsync(
            $"{context.Target.Name} register",
            [new ProgressItem("users", () => Volatile.Read(ref done), () => count)],
            async () =>
            {
                await Parallel.ForEachAsync(
                    Enumerable.Range(0, count),
                    new ParallelOptions { MaxDegreeOfParallelism = context.Options.RegisterParallelism, CancellationToken = cancellationToken },
                    async (index, token) =>
                    {
                        var username = $"{context.RunPrefix}_{index}";
                        var auth = await context.Api.RegisterAsync(username, Password, token);
                        users[index] = new LoadUser(index, auth.UserId, auth.Username, auth.Token);
                        Interlocked.Increment(ref done);
                    });
                return 0;
            });
        return users;
    }

    /// <summary>Creates conversations; each request is (creator, other members, type).</summary>
    public static async Task<string[]> CreateConversationsAsync(
        ScenarioContext context, IReadOnlyList<(LoadUser Creator, LoadUser[] Others, string Type)> requests, CancellationToken cancellationToken)
    {
        var ids = new string[requests.Count];
        var done = 0;
        await LiveProgress.RunAsync(
            $"{context.Target.Name} conversations",
            [new ProgressItem("created", () => Volatile.Read(ref done), () => requests.Count)],
            async () =>
            {
                await Parallel.ForEachAsync(
                    Enumerable.Range(0, requests.Count),
                    new ParallelOptions { MaxDegreeOfParallelism = Math.Max(16, context.Options.RegisterParallelism), CancellationToken = cancellationToken },
                    async (index, token) =>
                    {
                        var (creator, others, type) = requests[index];
                        var request = new CreateConversationRequest(type, others.Select(u => u.UserId).ToArray(), type == ConversationTypes.Group ? $"{context.RunPrefix} group" : null);
                        var conversation = await context.Api.CreateConversationAsync(creator.Token, request, token);
                        ids[index] = conversation.ConversationId;
                        Interlocked.Increment(ref done);
                    });
                return 0;
            });
        return ids;
    }

    /// <summary>Opens one connection per entry; throws when any fails unless <paramref name="failures"/> collects them.</summary>
    public static async Task<UserConnection?[]> ConnectAsync(
        ScenarioContext context,
        IReadOnlyList<LoadUser> users,
        IFrameSink sink,
        int receiveBufferSize,
        CancellationToken cancellationToken,
        ConcurrentDictionary<string, int>? failures = null)
    {
        var connections = new UserConnection?[users.Count];
        var done = 0;
        var failed = 0;
        await LiveProgress.RunAsync(
            $"{context.Target.Name} connect",
            [new ProgressItem("open", () => Volatile.Read(ref done), () => users.Count)],
            async () =>
            {
                await Parallel.ForEachAsync(
                    Enumerable.Range(0, users.Count),
                    new ParallelOptions { MaxDegreeOfParallelism = context.Options.ConnectParallelism, CancellationToken = cancellationToken },
                    async (index, token) =>
                    {
                        try
                        {
                            connections[index] = await UserConnection.ConnectAsync(
                                users[index], context.Target.WebSocketBaseFor(users[index]), context.Connector, sink, receiveBufferSize, token);
                            Interlocked.Increment(ref done);
                        }
                        catch (Exception ex) when (failures is not null && ex is not OperationCanceledException)
                        {
                            Interlocked.Increment(ref failed);
                            var key = ex.InnerException?.Message ?? ex.Message;
                            if (failures.Count < 20 || failures.ContainsKey(key))
                            {
                                failures.AddOrUpdate(key, 1, (_, n) => n + 1);
                            }
                        }
                    });
                return 0;
            });
        return connections;
    }

    public static async Task CloseAllAsync(IEnumerable<UserConnection?> connections)
    {
        await Parallel.ForEachAsync(
            connections.OfType<UserConnection>(),
            new ParallelOptions { MaxDegreeOfParallelism = 256 },
            async (connection, _) => await connection.DisposeAsync());
    }
}
