using System.Collections.Concurrent;
using System.Text.Json;
using Dapr.Actors.Runtime;

namespace Messenger.Dapr.Tests.Fakes;

/// <summary>
/// An <see cref="IActorStateManager"/> like Dapr's: changes are held by the activation and written together by
/// <see cref="SaveStateAsync"/>; <see cref="ClearCacheAsync"/> drops what was not saved (a failed turn, or a crash).
/// Values go through JSON as they would to the sidecar.
/// </summary>
internal sealed class InMemoryActorStateManager(ConcurrentDictionary<string, byte[]> committed) : IActorStateManager
{
    private readonly Dictionary<string, byte[]?> pending = new(StringComparer.Ordinal);

    public int Saves { get; private set; }

    /// <summary>The next save fails before anything is written (the process died, or the store refused).</summary>
    public bool FailNextSave { get; set; }

    public Task<ConditionalValue<T>> TryGetStateAsync<T>(string stateName, CancellationToken cancellationToken = default)
    {
        var json = pending.TryGetValue(stateName, out var changed) ? changed : committed.GetValueOrDefault(stateName);
        return Task.FromResult(json is null ? new ConditionalValue<T>(false, default!) : new ConditionalValue<T>(true, JsonSerializer.Deserialize<T>(json, DaprJson.Options)!));
    }

    public async Task<T> GetStateAsync<T>(string stateName, CancellationToken cancellationToken = default)
    {
        var value = await TryGetStateAsync<T>(stateName, cancellationToken);
        return value.HasValue ? value.Value : throw new KeyNotFoundException(stateName);
    }

    public Task SetStateAsync<T>(string stateName, T value, CancellationToken cancellationToken = default)
    {
        pending[stateName] = JsonSerializer.SerializeToUtf8Bytes(value, DaprJson.Options);
        return Task.CompletedTask;
    }

    public Task SetStateAsync<T>(string stateName, T value, TimeSpan ttl, CancellationToken cancellationToken = default) =>
        SetStateAsync(stateName, value, cancellationToken);

    public async Task<bool> ContainsStateAsync(string stateName, CancellationToken cancellationToken = default) =>
        (await TryGetStateAsync<JsonElement>(stateName, cancellationToken)).HasValue;

    public async Task AddStateAsync<T>(string stateName, T value, CancellationToken cancellationToken = default)
    {
        if (!await TryAddStateAsync(stateName, value, cancellationToken))
        {
            throw new InvalidOperationException($"State {stateName} exists.");
        }
    }

    public Task AddStateAsync<T>(string stateName, T value, TimeSpan ttl, CancellationToken cancellationToken = default) =>
        AddStateAsync(stateName, value, cancellationToken);

    public async Task<bool> TryAddStateAsync<T>(string stateName, T value, CancellationToken cancellationToken = default)
    {
        if (await ContainsStateAsync(stateName, cancellationToken))
        {
            return false;
        }

        await SetStateAsync(stateName, value, cancellationToken);
        return true;
    }

    public Task<bool> TryAddStateAsync<T>(string stateName, T value, TimeSpan ttl, CancellationToken cancellationToken = default) =>
        TryAddStateAsync(stateName, value, cancellationToken);

    public async Task<T> GetOrAddStateAsync<T>(string stateName, T value, CancellationToken cancellationToken = default)
    {
        var current = await TryGetStateAsync<T>(stateName, cancellationToken);
        if (current.HasValue)
        {
            return current.Value;
        }

        await SetStateAsync(stateName, value, cancellationToken);
        return value;
    }

    public Task<T> GetOrAddStateAsync<T>(string stateName, T value, TimeSpan ttl, CancellationToken cancellationToken = default) =>
        GetOrAddStateAsync(stateName, value, cancellationToken);

    public async Task<T> AddOrUpdateStateAsync<T>(string stateName, T addValue, Func<string, T, T> updateValueFactory, CancellationToken cancellationToken = default)
    {
        var current = await TryGetStateAsync<T>(stateName, cancellationToken);
        var next = current.HasValue ? updateValueFactory(stateName, current.Value) : addValue;
        await SetStateAsync(stateName, next, cancellationToken);
        return next;
    }

    public Task<T> AddOrUpdateStateAsync<T>(string stateName, T addValue, Func<string, T, T> updateValueFactory, TimeSpan ttl, CancellationToken cancellationToken = default) =>
        AddOrUpdateStateAsync(stateName, addValue, updateValueFactory, cancellationToken);

    public async Task RemoveStateAsync(string stateName, CancellationToken cancellationToken = default)
    {
        if (!await TryRemoveStateAsync(stateName, cancellationToken))
        {
            throw new KeyNotFoundException(stateName);
        }
    }

    public async Task<bool> TryRemoveStateAsync(string stateName, CancellationToken cancellationToken = default)
    {
        if (!await ContainsStateAsync(stateName, cancellationToken))
        {
            return false;
        }

        pending[stateName] = null;
        return true;
    }

    public Task ClearCacheAsync(CancellationToken cancellationToken = default)
    {
        pending.Clear();
        return Task.CompletedTask;
    }

    public Task UnloadStateAsync(string stateName, UnloadStateOptions? options = null, CancellationToken cancellationToken = default)
    {
        pending.Remove(stateName);
        return Task.CompletedTask;
    }

    public Task SaveStateAsync(CancellationToken cancellationToken = default)
    {
        if (FailNextSave)
        {
            FailNextSave = false;
            throw new InvalidOperationException("The actor state store refused the save.");
        }

        if (pending.Count > 0)
        {
            Saves++;
        }

        foreach (var (name, json) in pending)
        {
            if (json is null)
            {
                committed.TryRemove(name, out _);
            }
            else
            {
                committed[name] = json;
            }
        }

        pending.Clear();
        return Task.CompletedTask;
    }
}
