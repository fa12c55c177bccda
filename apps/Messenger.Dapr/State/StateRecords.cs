using System.Globalization;
using Dapr;
using Dapr.Client;
using Microsoft.Extensions.Options;

namespace Messenger.Dapr.State;

/// <summary>
/// Keyed records in a Dapr state store with optimistic concurrency: read with the ETag, change, write back only if
/// the ETag still matches (first-write-wins), try again on a conflict. A missing record is created with first-write
/// concurrency and no ETag, which the stores we use (Redis, PostgreSQL) turn into "insert only if absent".
/// </summary>
public sealed class StateRecords(DaprClient dapr, IOptions<DaprOptions> options)
{
    private static readonly StateOptions FirstWrite = new() { Concurrency = ConcurrencyMode.FirstWrite, Consistency = ConsistencyMode.Strong };

    public DaprClient Client => dapr;

    public static IReadOnlyDictionary<string, string> Ttl(TimeSpan ttl) =>
        new Dictionary<string, string> { ["ttlInSeconds"] = ((long)Math.Ceiling(ttl.TotalSeconds)).ToString(CultureInfo.InvariantCulture) };

    public async Task<T?> GetAsync<T>(string store, string key, CancellationToken cancellationToken)
        where T : class =>
        await dapr.GetStateAsync<T?>(store, key, ConsistencyMode.Strong, cancellationToken: cancellationToken);

    /// <summary>Writes <paramref name="value"/> only if <paramref name="key"/> holds nothing; returns what it holds afterwards.</summary>
    public async Task<T> InsertIfAbsentAsync<T>(string store, string key, T value, CancellationToken cancellationToken)
        where T : class
    {
        for (var attempt = 0; attempt < options.Value.ConcurrencyRetries; attempt++)
        {
            var (current, etag) = await dapr.GetStateAndETagAsync<T?>(store, key, ConsistencyMode.Strong, cancellationToken: cancellationToken);
            if (!string.IsNullOrEmpty(etag) && current is not null)
            {
                return current;
            }

            if (await TryInsertAsync(store, key, value, null, cancellationToken))
            {
                return value;
            }
        }

        throw Conflict(key);
    }

    /// <summary>
    /// Applies <paramref name="change"/> to the record (null when absent) until a write of its result wins. A result
    /// that is the same instance as its input writes nothing; null deletes the record.
    /// </summary>
    public async Task<TResult> UpdateAsync<T, TResult>(
        string store, string key, Func<T?, (T? Next, TResult Result)> change, IReadOnlyDictionary<string, string>? metadata, CancellationToken cancellationToken)
        where T : class
    {
        for (var attempt = 0; attempt < options.Value.ConcurrencyRetries; attempt++)
        {
            var (stored, etag) = await dapr.GetStateAndETagAsync<T?>(store, key, ConsistencyMode.Strong, cancellationToken: cancellationToken);
            var exists = !string.IsNullOrEmpty(etag) && stored is not null;
            var current = exists ? stored : null;
            var (next, result) = change(current);
            if (ReferenceEquals(next, current))
            {
                return result;
            }

            var written = next is null
                ? await dapr.TryDeleteStateAsync(store, key, etag, FirstWrite, cancellationToken: cancellationToken)
                : exists
                    ? await dapr.TrySaveStateAsync(store, key, next, etag, FirstWrite, metadata, cancellationToken)
                    : await TryInsertAsync(store, key, next, metadata, cancellationToken);
            if (written)
            {
                return result;
            }
        }

        throw Conflict(key);
    }

    public Task UpdateAsync<T>(string store, string key, Func<T?, T?> change, CancellationToken cancellationToken)
        where T : class =>
        UpdateAsync<T, bool>(store, key, current => (change(current), true), null, cancellationToken);

    /// <summary>
    /// Creates the record if absent. A store refuses a first write to an existing key with an error (not an ETag
    /// mismatch), so after an error the key is read again: something there means another writer won.
    /// </summary>
    private async Task<bool> TryInsertAsync<T>(string store, string key, T value, IReadOnlyDictionary<string, string>? metadata, CancellationToken cancellationToken)
    {
        try
        {
            await dapr.SaveStateAsync(store, key, value, FirstWrite, metadata, cancellationToken);
            return true;
        }
        catch (DaprException)
        {
            var (_, etag) = await dapr.GetStateAndETagAsync<T?>(store, key, ConsistencyMode.Strong, cancellationToken: cancellationToken);
            if (string.IsNullOrEmpty(etag))
            {
                throw;
            }

            return false;
        }
    }

    private static InvalidOperationException Conflict(string key) =>
        new($"The record {key} kept changing under concurrent writers; giving up.");
}
