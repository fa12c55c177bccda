using Messenger.Core.Errors;
using Messenger.Core.Services;
using Microsoft.Extensions.Options;

namespace Messenger.Hosting.RateLimits;

/// <summary>
/// Slows down guessing one account's password: after <see cref="RateLimitOptions.LoginFailuresBeforeBackoff"/>
/// failures in a row, each next attempt must wait 1 s, 2 s, 4 s … up to the cap. A success clears it, and the wait
/// never exceeds the cap, so the real owner is never locked out for long. Only names that can be accounts (valid
/// usernames, at most 32 characters) are remembered, and at most
/// <see cref="RateLimitOptions.MaxTrackedLoginFailures"/> of them: beyond that the oldest entries are forgotten, first
/// those not (yet) backing off, least recently failed first, so a flood of new names forgets only other names with a
/// failure or two and never resets the backoff of an account under attack; nothing is ever cleared whole.
/// </summary>
public sealed class LoginBackoff(IOptions<RateLimitOptions> options, TimeProvider time)
{
    private readonly Lock gate = new();
    private readonly Dictionary<string, LinkedListNode<Entry>> byName = new(StringComparer.Ordinal);

    /// <summary>Names below the backoff threshold, least recently failed first: forgotten first.</summary>
    private readonly LinkedList<Entry> fewFailures = new();

    /// <summary>Names that are backing off, least recently failed first.</summary>
    private readonly LinkedList<Entry> backingOff = new();

    /// <summary>How many usernames are remembered now.</summary>
    public int Count
    {
        get
        {
            lock (gate)
            {
                return byName.Count;
            }
        }
    }

    public void ThrowIfWaiting(string? username)
    {
        if (!options.Value.Enabled || !Validate.IsUsername(username))
        {
            return;
        }

        DateTimeOffset notBefore;
        lock (gate)
        {
            if (!byName.TryGetValue(username, out var node))
            {
                return;
            }

            notBefore = node.Value.NotBefore;
        }

        var now = time.GetUtcNow();
        if (notBefore > now)
        {
            throw ChatException.RateLimited("failed logins for this account", notBefore - now);
        }
    }

    public void Failed(string? username)
    {
        if (!Validate.IsUsername(username))
        {
            // Nothing is remembered about what cannot be an account.
            return;
        }

        var settings = options.Value;
        var now = time.GetUtcNow();
        lock (gate)
        {
            var count = 1;
            if (byName.Remove(username, out var known))
            {
                known.List!.Remove(known);
                count = known.Value.Count + 1;
            }

            var over = count - settings.LoginFailuresBeforeBackoff;
            var wait = over < 0 ? TimeSpan.Zero : TimeSpan.FromSeconds(Math.Min(Math.Pow(2, Math.Min(over, 30)), settings.MaxLoginBackoff.TotalSeconds));
            byName[username] = (over < 0 ? fewFailures : backingOff).AddLast(new Entry(username, count, now + wait));
            while (byName.Count > settings.MaxTrackedLoginFailures && (fewFailures.First ?? backingOff.First) is { } oldest)
            {
                oldest.List!.Remove(oldest);
                byName.Remove(oldest.Value.Username);
            }
        }
    }

    public void Succeeded(string? username)
    {
        if (!Validate.IsUsername(username))
        {
            return;
        }

        lock (gate)
        {
            if (byName.Remove(username, out var known))
            {
                known.List!.Remove(known);
            }
        }
    }

    private sealed record Entry(string Username, int Count, DateTimeOffset NotBefore);
}
