using System.Collections.Concurrent;
using Messenger.Core.Errors;
using Microsoft.Extensions.Options;

namespace Messenger.Hosting.RateLimits;

/// <summary>
/// Slows down guessing one account's password: after <see cref="RateLimitOptions.LoginFailuresBeforeBackoff"/>
/// failures in a row, each next attempt must wait 1 s, 2 s, 4 s … up to the cap. A success clears it, and the wait
/// never exceeds the cap, so the real owner is never locked out for long.
/// </summary>
public sealed class LoginBackoff(IOptions<RateLimitOptions> options, TimeProvider time)
{
    private const int MaxTracked = 100_000;
    private readonly ConcurrentDictionary<string, Entry> failures = new(StringComparer.Ordinal);

    public void ThrowIfWaiting(string username)
    {
        if (options.Value.Enabled && failures.TryGetValue(username, out var entry) && entry.NotBefore > time.GetUtcNow())
        {
            throw ChatException.RateLimited("failed logins for this account", entry.NotBefore - time.GetUtcNow());
        }
    }

    public void Failed(string username)
    {
        if (failures.Count >= MaxTracked)
        {
            failures.Clear();
        }

        var settings = options.Value;
        failures.AddOrUpdate(
            username,
            _ => new Entry(1, time.GetUtcNow()),
            (_, e) =>
            {
                var count = e.Count + 1;
                var over = count - settings.LoginFailuresBeforeBackoff;
                var wait = over < 0 ? TimeSpan.Zero : TimeSpan.FromSeconds(Math.Min(Math.Pow(2, Math.Min(over, 30)), settings.MaxLoginBackoff.TotalSeconds));
                return new Entry(count, time.GetUtcNow() + wait);
            });
    }

    public void Succeeded(string username) => failures.TryRemove(username, out _);

    private sealed record Entry(int Count, DateTimeOffset NotBefore);
}
