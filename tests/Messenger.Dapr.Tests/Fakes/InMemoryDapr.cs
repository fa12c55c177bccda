using System.Collections.Concurrent;
using System.Reflection;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Dapr;
using Dapr.Client;
using Moq;

namespace Messenger.Dapr.Tests.Fakes;

/// <summary>
/// A strict mock of <see cref="DaprClient"/> whose state calls are answered by an in-memory state store with the
/// semantics the adapters rely on (ETags, first-write, transactions, ttlInSeconds) and whose publishes are recorded
/// as CloudEvents and handed to <see cref="OnPublished"/>. Any other call fails the test.
/// </summary>
internal sealed class InMemoryDapr
{
    private static readonly MethodInfo FromResult = typeof(Task).GetMethod(nameof(Task.FromResult))!;
    private readonly object gate = new();
    private readonly Dictionary<(string Store, string Key), StoredValue> values = [];
    private readonly TimeProvider time;
    private long version;

    public InMemoryDapr(TimeProvider? time = null)
    {
        this.time = time ?? TimeProvider.System;
        Mock = new Mock<DaprClient>(MockBehavior.Strict);
        Setup();
    }

    public Mock<DaprClient> Mock { get; }

    public DaprClient Client => Mock.Object;

    public ConcurrentQueue<PublishedEvent> Published { get; } = new();

    /// <summary>Called for every publish after it is recorded (the topology delivers it to subscribers).</summary>
    public Func<PublishedEvent, Task>? OnPublished { get; set; }

    /// <summary>Called with the keys of every bulk read before it reads them (to change the state under a reader).</summary>
    public Action<IReadOnlyList<string>>? BeforeBulkRead { get; set; }

    /// <summary>
    /// Awaited after a read with ETag has taken its value and before it answers, with the key (to let other writers
    /// read the same version meanwhile).
    /// </summary>
    public Func<string, Task>? AfterETagRead { get; set; }

    /// <summary>Makes the next state write fail as a sidecar that went away would.</summary>
    public int FailNextWrites { get; set; }

    /// <summary>Stores every call to which fails (a component that is down).</summary>
    public HashSet<string> DownStores { get; } = [];

    public bool Has(string store, string key) => Get(store, key) is not null;

    public T? Read<T>(string store, string key) =>
        Get(store, key) is { } stored ? JsonSerializer.Deserialize<T>(stored.Json, DaprJson.Options) : default;

    public void Write<T>(string store, string key, T value)
    {
        lock (gate)
        {
            Put(store, key, JsonSerializer.SerializeToUtf8Bytes(value, DaprJson.Options), null);
        }
    }

    public IReadOnlyList<string> Keys(string store)
    {
        lock (gate)
        {
            var now = time.GetUtcNow();
            return values.Where(v => v.Key.Store == store && !(v.Value.ExpiresAt <= now)).Select(v => v.Key.Key).Order(StringComparer.Ordinal).ToList();
        }
    }

    public StoredValue? Get(string store, string key)
    {
        lock (gate)
        {
            if (DownStores.Contains(store))
            {
                throw new DaprException($"State operation failed: {store} is down.");
            }

            RefuseSeparator(key);
            return values.TryGetValue((store, key), out var stored) && !(stored.ExpiresAt <= time.GetUtcNow()) ? stored : null;
        }
    }

    public int CallsTo(string method) => Mock.Invocations.Count(i => i.Method.Name == method);

    private void Setup()
    {
        Mock.Setup(d => d.GetStateAsync<It.IsAnyType>(It.IsAny<string>(), It.IsAny<string>(), It.IsAny<ConsistencyMode?>(), It.IsAny<IReadOnlyDictionary<string, string>?>(), It.IsAny<CancellationToken>()))
            .Returns(new InvocationFunc(call =>
            {
                var type = call.Method.GetGenericArguments()[0];
                var stored = Get((string)call.Arguments[0], (string)call.Arguments[1]);
                return TaskOf(type, stored is null ? Default(type) : JsonSerializer.Deserialize(stored.Json, type, DaprJson.Options));
            }));

        Mock.Setup(d => d.GetStateAndETagAsync<It.IsAnyType>(It.IsAny<string>(), It.IsAny<string>(), It.IsAny<ConsistencyMode?>(), It.IsAny<IReadOnlyDictionary<string, string>?>(), It.IsAny<CancellationToken>()))
            .Returns(new InvocationFunc(call =>
            {
                var type = call.Method.GetGenericArguments()[0];
                var stored = Get((string)call.Arguments[0], (string)call.Arguments[1]);
                var tupleType = typeof(ValueTuple<,>).MakeGenericType(type, typeof(string));
                var value = stored is null ? Default(type) : JsonSerializer.Deserialize(stored.Json, type, DaprJson.Options);
                var answer = Activator.CreateInstance(tupleType, value, stored?.ETag ?? string.Empty);
                return AfterETagRead is { } hook
                    ? AnswerAfter.MakeGenericMethod(tupleType).Invoke(null, [hook((string)call.Arguments[1]), answer])!
                    : TaskOf(tupleType, answer);
            }));

        Mock.Setup(d => d.GetBulkStateAsync<It.IsAnyType>(It.IsAny<string>(), It.IsAny<IReadOnlyList<string>>(), It.IsAny<int?>(), It.IsAny<IReadOnlyDictionary<string, string>?>(), It.IsAny<CancellationToken>()))
            .Returns(new InvocationFunc(call =>
            {
                var type = call.Method.GetGenericArguments()[0];
                var store = (string)call.Arguments[0];
                var keys = (IReadOnlyList<string>)call.Arguments[1];
                if (keys.Count == 0)
                {
                    throw new ArgumentException("keys do not contain any elements");
                }

                BeforeBulkRead?.Invoke(keys);
                var itemType = typeof(BulkStateItem<>).MakeGenericType(type);
                var items = (System.Collections.IList)Activator.CreateInstance(typeof(List<>).MakeGenericType(itemType))!;
                foreach (var key in keys)
                {
                    var stored = Get(store, key);
                    var value = stored is null ? Default(type) : JsonSerializer.Deserialize(stored.Json, type, DaprJson.Options);
                    items.Add(Activator.CreateInstance(itemType, key, value, stored?.ETag ?? string.Empty));
                }

                return TaskOf(typeof(IReadOnlyList<>).MakeGenericType(itemType), items);
            }));

        Mock.Setup(d => d.SaveStateAsync(It.IsAny<string>(), It.IsAny<string>(), It.IsAny<It.IsAnyType>(), It.IsAny<StateOptions?>(), It.IsAny<IReadOnlyDictionary<string, string>?>(), It.IsAny<CancellationToken>()))
            .Returns(new InvocationFunc(call =>
            {
                var type = call.Method.GetGenericArguments()[0];
                var options = (StateOptions?)call.Arguments[3];
                lock (gate)
                {
                    FailIfAsked();
                    var key = (string)call.Arguments[1];
                    if (options?.Concurrency == ConcurrencyMode.FirstWrite && Get((string)call.Arguments[0], key) is not null)
                    {
                        throw new DaprException($"State operation failed: failed to set key {key}");
                    }

                    Put((string)call.Arguments[0], key, JsonSerializer.SerializeToUtf8Bytes(call.Arguments[2], type, DaprJson.Options),
                        (IReadOnlyDictionary<string, string>?)call.Arguments[4]);
                }

                return Task.CompletedTask;
            }));

        Mock.Setup(d => d.TrySaveStateAsync(It.IsAny<string>(), It.IsAny<string>(), It.IsAny<It.IsAnyType>(), It.IsAny<string>(), It.IsAny<StateOptions?>(), It.IsAny<IReadOnlyDictionary<string, string>?>(), It.IsAny<CancellationToken>()))
            .Returns(new InvocationFunc(call =>
            {
                var type = call.Method.GetGenericArguments()[0];
                var (store, key, etag) = ((string)call.Arguments[0], (string)call.Arguments[1], (string)call.Arguments[3]);
                lock (gate)
                {
                    FailIfAsked();
                    var stored = Get(store, key);
                    if (string.IsNullOrEmpty(etag))
                    {
                        if (stored is not null)
                        {
                            throw new DaprException($"State operation failed: failed to set key {key}");
                        }
                    }
                    else if (stored is null || stored.ETag != etag)
                    {
                        return Task.FromResult(false);
                    }

                    Put(store, key, JsonSerializer.SerializeToUtf8Bytes(call.Arguments[2], type, DaprJson.Options), (IReadOnlyDictionary<string, string>?)call.Arguments[5]);
                    return Task.FromResult(true);
                }
            }));

        Mock.Setup(d => d.SaveBulkStateAsync(It.IsAny<string>(), It.IsAny<IReadOnlyList<SaveStateItem<It.IsAnyType>>>(), It.IsAny<CancellationToken>()))
            .Returns(new InvocationFunc(call =>
            {
                var type = call.Method.GetGenericArguments()[0];
                lock (gate)
                {
                    FailIfAsked();
                    foreach (var item in (System.Collections.IEnumerable)call.Arguments[1])
                    {
                        var itemType = item.GetType();
                        var key = (string)itemType.GetProperty("Key")!.GetValue(item)!;
                        var value = itemType.GetProperty("Value")!.GetValue(item);
                        var metadata = (IReadOnlyDictionary<string, string>?)itemType.GetProperty("Metadata")!.GetValue(item);
                        Put((string)call.Arguments[0], key, JsonSerializer.SerializeToUtf8Bytes(value, type, DaprJson.Options), metadata);
                    }
                }

                return Task.CompletedTask;
            }));

        Mock.Setup(d => d.DeleteStateAsync(It.IsAny<string>(), It.IsAny<string>(), It.IsAny<StateOptions?>(), It.IsAny<IReadOnlyDictionary<string, string>?>(), It.IsAny<CancellationToken>()))
            .Returns((string store, string key, StateOptions? _, IReadOnlyDictionary<string, string>? _, CancellationToken _) =>
            {
                lock (gate)
                {
                    FailIfAsked();
                    values.Remove((store, key));
                }

                return Task.CompletedTask;
            });

        Mock.Setup(d => d.DeleteBulkStateAsync(It.IsAny<string>(), It.IsAny<IReadOnlyList<BulkDeleteStateItem>>(), It.IsAny<CancellationToken>()))
            .Returns((string store, IReadOnlyList<BulkDeleteStateItem> items, CancellationToken _) =>
            {
                lock (gate)
                {
                    FailIfAsked();
                    foreach (var item in items)
                    {
                        values.Remove((store, item.Key));
                    }
                }

                return Task.CompletedTask;
            });

        Mock.Setup(d => d.TryDeleteStateAsync(It.IsAny<string>(), It.IsAny<string>(), It.IsAny<string>(), It.IsAny<StateOptions?>(), It.IsAny<IReadOnlyDictionary<string, string>?>(), It.IsAny<CancellationToken>()))
            .Returns((string store, string key, string etag, StateOptions? _, IReadOnlyDictionary<string, string>? _, CancellationToken _) =>
            {
                lock (gate)
                {
                    FailIfAsked();
                    if (Get(store, key) is not { } stored || stored.ETag != etag)
                    {
                        return Task.FromResult(false);
                    }

                    values.Remove((store, key));
                    return Task.FromResult(true);
                }
            });

        Mock.Setup(d => d.ExecuteStateTransactionAsync(It.IsAny<string>(), It.IsAny<IReadOnlyList<StateTransactionRequest>>(), It.IsAny<IReadOnlyDictionary<string, string>?>(), It.IsAny<CancellationToken>()))
            .Returns((string store, IReadOnlyList<StateTransactionRequest> operations, IReadOnlyDictionary<string, string>? _, CancellationToken _) =>
            {
                lock (gate)
                {
                    FailIfAsked();
                    foreach (var operation in operations)
                    {
                        if (operation.OperationType == StateOperationType.Upsert)
                        {
                            Put(store, operation.Key, operation.Value ?? [], operation.Metadata);
                        }
                        else
                        {
                            values.Remove((store, operation.Key));
                        }
                    }
                }

                return Task.CompletedTask;
            });

        Mock.Setup(d => d.PublishEventAsync(It.IsAny<string>(), It.IsAny<string>(), It.IsAny<It.IsAnyType>(), It.IsAny<CancellationToken>()))
            .Returns(new InvocationFunc(call =>
            {
                var type = call.Method.GetGenericArguments()[0];
                var data = JsonSerializer.SerializeToUtf8Bytes(call.Arguments[2], type, DaprJson.Options);
                var published = CloudEvents.Wrap((string)call.Arguments[0], (string)call.Arguments[1], data);
                Published.Enqueue(published);
                return OnPublished?.Invoke(published) ?? Task.CompletedTask;
            }));
    }

    private void FailIfAsked()
    {
        if (FailNextWrites > 0)
        {
            FailNextWrites--;
            throw new DaprException("State operation failed: the Dapr endpoint indicated a failure.");
        }
    }

    private void Put(string store, string key, byte[] json, IReadOnlyDictionary<string, string>? metadata)
    {
        RefuseSeparator(key);
        if (DownStores.Contains(store))
        {
            throw new DaprException($"State operation failed: {store} is down.");
        }

        DateTimeOffset? expires = metadata is not null && metadata.TryGetValue("ttlInSeconds", out var ttl)
            ? time.GetUtcNow().AddSeconds(int.Parse(ttl, System.Globalization.CultureInfo.InvariantCulture))
            : null;
        values[(store, key)] = new StoredValue(json, (++version).ToString(System.Globalization.CultureInfo.InvariantCulture), expires);
    }

    /// <summary>daprd refuses a state key holding its own separator, "||" (an InvalidArgument the SDK throws as a DaprException).</summary>
    private static void RefuseSeparator(string key)
    {
        if (key.Contains("||", StringComparison.Ordinal))
        {
            throw new DaprException($"State operation failed: input key/keyPrefix '{key}' can't contain '||'");
        }
    }

    private static object? Default(Type type) => type.IsValueType ? Activator.CreateInstance(type) : null;

    private static readonly System.Reflection.MethodInfo AnswerAfter =
        typeof(InMemoryDapr).GetMethod(nameof(AnswerAfterAsync), System.Reflection.BindingFlags.NonPublic | System.Reflection.BindingFlags.Static)!;

    private static async Task<T> AnswerAfterAsync<T>(Task hook, T answer)
    {
        await hook;
        return answer;
    }

    private static object TaskOf(Type type, object? value) => FromResult.MakeGenericMethod(type).Invoke(null, [value])!;
}
