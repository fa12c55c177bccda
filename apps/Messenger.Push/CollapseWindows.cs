namespace Messenger.Push;

/// <summary>
/// The collapse windows and the redelivery memory of pushes, per slot (for <see cref="PushRequestHandler"/>: one
/// slot per recipient, conversation and device token). <see cref="Offer"/> decides for each push whether it goes out
/// now, is held for the end of the slot's window, or is a duplicate; a held push is handed to the release callback
/// when its window ends.
/// </summary>
/// <remarks>
/// <para><b>Collapse rule</b>, per slot, with W = the window given to the constructor:</para>
/// <list type="number">
/// <item>When no window is open, the push is sent at once and a window of length W opens.</item>
/// <item>While a window is open, a push is not sent but held; a later one replaces the held one (only the latest
/// push of the burst is kept).</item>
/// <item>When a window ends: if a push is held, it is released then and a new window of length W opens at that
/// moment; if none is held, the window closes and the next push goes out at once again.</item>
/// </list>
/// <para>So a slot gets at most one push in any W, the first push after a quiet spell without delay, and the last
/// push of a burst at most W after it was offered. A window of zero or less turns collapsing off (every new push goes
/// out at once); the redelivery memory still applies.</para>
/// <para><b>Redeliveries</b>: per slot the highest seq offered is remembered (for at least
/// <see cref="DedupeRetention"/> after the slot's last activity); a push whose seq is not above it is a duplicate.</para>
/// <para>The state lives in this object; a held push is lost when <see cref="Stop"/> is called before its window
/// ends.</para>
/// </remarks>
/// <typeparam name="TKey">The slot a push belongs to.</typeparam>
/// <typeparam name="TPush">What is held and released.</typeparam>
internal sealed class CollapseWindows<TKey, TPush> : IDisposable
    where TKey : notnull
    where TPush : class
{
    /// <summary>How long the highest seq of an idle slot is kept to recognise redeliveries.</summary>
    public static readonly TimeSpan DedupeRetention = TimeSpan.FromHours(1);

    /// <summary>Idle slots are looked for at most this often (by the clock of the <see cref="TimeProvider"/>).</summary>
    public static readonly TimeSpan SweepInterval = TimeSpan.FromMinutes(1);

    private readonly TimeSpan window;
    private readonly TimeProvider time;
    private readonly Func<TKey, TPush, CancellationToken, Task> release;
    private readonly Action<TKey, Exception> releaseFailed;
    private readonly CancellationTokenSource stopping = new();
    private readonly Lock gate = new();
    private readonly Dictionary<TKey, Slot> slots = [];
    private DateTimeOffset nextSweep = DateTimeOffset.MinValue;

    /// <param name="window">The collapse window W; zero or less turns collapsing off.</param>
    /// <param name="time">The clock of the windows and of the redelivery memory.</param>
    /// <param name="release">Sends a held push when its window ends; its token is cancelled by <see cref="Stop"/>.</param>
    /// <param name="releaseFailed">Told when <paramref name="release"/> throws (other than on <see cref="Stop"/>);
    /// the slot's next window opens all the same.</param>
    public CollapseWindows(
        TimeSpan window,
        TimeProvider time,
        Func<TKey, TPush, CancellationToken, Task> release,
        Action<TKey, Exception> releaseFailed)
    {
        this.window = window;
        this.time = time;
        this.release = release;
        this.releaseFailed = releaseFailed;
    }

    /// <summary>The number of slots whose window is open.</summary>
    public int OpenWindows
    {
        get
        {
            lock (gate)
            {
                return slots.Values.Count(slot => slot.WindowOpen);
            }
        }
    }

    /// <summary>Applies the redelivery and collapse rules (see the class remarks) to one push of one slot.</summary>
    public CollapseDecision Offer(TKey key, long seq, TPush push)
    {
        lock (gate)
        {
            var now = time.GetUtcNow();
            SweepIfDue(now);
            if (!slots.TryGetValue(key, out var slot))
            {
                slot = new Slot();
                slots[key] = slot;
            }

            if (seq <= slot.LastSeq)
            {
                return CollapseDecision.Duplicate;
            }

            slot.LastSeq = seq;
            slot.LastActivity = now;
            if (window <= TimeSpan.Zero)
            {
                return CollapseDecision.SendNow;
            }

            if (slot.WindowOpen)
            {
                slot.Held = push;
                return CollapseDecision.Held;
            }

            slot.WindowOpen = true;
        }

        _ = CloseWindowsAsync(key);
        return CollapseDecision.SendNow;
    }

    /// <summary>Ends every open window without releasing what it holds.</summary>
    public void Stop() => stopping.Cancel();

    public void Dispose() => stopping.Cancel();

    /// <summary>Ends the windows of one slot, one after the other, while each ends with a held push.</summary>
    private async Task CloseWindowsAsync(TKey key)
    {
        var token = stopping.Token;
        while (true)
        {
            try
            {
                await Task.Delay(window, time, token);
            }
            catch (OperationCanceledException)
            {
                return;
            }

            TPush? held;
            lock (gate)
            {
                if (!slots.TryGetValue(key, out var slot))
                {
                    return;
                }

                held = slot.Held;
                slot.Held = null;
                slot.LastActivity = time.GetUtcNow();
                if (held is null)
                {
                    slot.WindowOpen = false;
                    return;
                }
            }

            try
            {
                await release(key, held, token);
            }
            catch (OperationCanceledException) when (token.IsCancellationRequested)
            {
                return;
            }
            catch (Exception ex)
            {
                releaseFailed(key, ex);
            }
        }
    }

    /// <summary>Forgets idle slots whose redelivery memory has expired, at most once per <see cref="SweepInterval"/>.</summary>
    private void SweepIfDue(DateTimeOffset now)
    {
        if (now < nextSweep)
        {
            return;
        }

        nextSweep = now + SweepInterval;
        List<TKey>? expired = null;
        foreach (var (key, slot) in slots)
        {
            if (!slot.WindowOpen && now - slot.LastActivity > DedupeRetention)
            {
                (expired ??= []).Add(key);
            }
        }

        expired?.ForEach(key => slots.Remove(key));
    }

    private sealed class Slot
    {
        public long LastSeq { get; set; }
        public DateTimeOffset LastActivity { get; set; }
        public bool WindowOpen { get; set; }
        public TPush? Held { get; set; }
    }
}
