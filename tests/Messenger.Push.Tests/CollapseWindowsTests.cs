using System.Collections.Concurrent;
using Microsoft.Extensions.Time.Testing;

namespace Messenger.Push.Tests;

public sealed class CollapseWindowsTests : IDisposable
{
    private static readonly TimeSpan Window = TimeSpan.FromSeconds(10);
    private static readonly TimeSpan Tick = TimeSpan.FromMilliseconds(1);

    private readonly CountingTimeProvider time = new();
    private readonly ConcurrentQueue<string> released = new();
    private readonly ConcurrentQueue<(string Key, Exception Error)> failures = new();
    private readonly CollapseWindows<string, string> windows;
    private Func<string, string, CancellationToken, Task>? releaseOverride;

    public CollapseWindowsTests() => windows = Windows(Window);

    public void Dispose() => windows.Dispose();

    private CollapseWindows<string, string> Windows(TimeSpan window) => new(
        window,
        time,
        (key, push, cancellationToken) =>
        {
            if (releaseOverride is { } custom)
            {
                return custom(key, push, cancellationToken);
            }

            released.Enqueue($"{key}:{push}");
            return Task.CompletedTask;
        },
        (key, error) => failures.Enqueue((key, error)));

    [Fact]
    public void The_first_push_of_a_slot_goes_out_at_once_and_the_next_is_held()
    {
        Assert.Equal(CollapseDecision.SendNow, windows.Offer("a", 1, "one"));
        Assert.Equal(CollapseDecision.Held, windows.Offer("a", 2, "two"));
    }

    [Fact]
    public async Task Only_the_latest_held_push_is_released_when_the_window_ends()
    {
        windows.Offer("a", 1, "one");
        time.Advance(TimeSpan.FromSeconds(1));
        windows.Offer("a", 2, "two");
        time.Advance(TimeSpan.FromSeconds(1));
        windows.Offer("a", 3, "three");

        time.Advance(Window - TimeSpan.FromSeconds(2) - Tick);
        Assert.Empty(released);
        Assert.Equal(CollapseDecision.Held, windows.Offer("a", 4, "four"));

        time.Advance(Tick);
        await Eventually.HoldsAsync(() => !released.IsEmpty, "the held push is released at the end of the window");
        Assert.Equal(["a:four"], released);
    }

    [Fact]
    public async Task A_release_opens_a_new_window_that_holds_the_next_push()
    {
        windows.Offer("a", 1, "one");
        windows.Offer("a", 2, "two");
        time.Advance(Window);
        await Eventually.HoldsAsync(() => time.TimersCreated == 2, "the held push is released and the next window opens");
        Assert.Equal(["a:two"], released);

        Assert.Equal(CollapseDecision.Held, windows.Offer("a", 3, "three"));
        time.Advance(Window - Tick);
        Assert.Single(released);

        time.Advance(Tick);
        await Eventually.HoldsAsync(() => released.Count == 2, "the push held in the second window is released");
        Assert.Equal(["a:two", "a:three"], released);
    }

    [Fact]
    public async Task A_window_that_ends_with_nothing_held_closes_and_the_next_push_goes_out_at_once()
    {
        windows.Offer("a", 1, "one");
        time.Advance(Window);

        await Eventually.HoldsAsync(() => windows.OpenWindows == 0, "the quiet window closes");

        Assert.Equal(CollapseDecision.SendNow, windows.Offer("a", 2, "two"));
        Assert.Empty(released);
    }

    [Fact]
    public void Slots_have_windows_of_their_own()
    {
        Assert.Equal(CollapseDecision.SendNow, windows.Offer("a", 1, "one"));
        Assert.Equal(CollapseDecision.SendNow, windows.Offer("b", 1, "one"));
        Assert.Equal(CollapseDecision.Held, windows.Offer("a", 2, "two"));
        Assert.Equal(CollapseDecision.Held, windows.Offer("b", 2, "two"));
    }

    [Fact]
    public async Task A_seq_not_above_the_highest_of_its_slot_is_a_duplicate()
    {
        windows.Offer("a", 5, "five");
        windows.Offer("a", 6, "six");

        Assert.Equal(CollapseDecision.Duplicate, windows.Offer("a", 6, "six again"));
        Assert.Equal(CollapseDecision.Duplicate, windows.Offer("a", 4, "older"));
        Assert.Equal(CollapseDecision.SendNow, windows.Offer("b", 4, "other slot"));

        time.Advance(Window);
        await Eventually.HoldsAsync(() => !released.IsEmpty, "the held push is released");
        Assert.Equal(["a:six"], released);
    }

    [Fact]
    public void A_zero_window_sends_every_new_push_at_once_and_still_drops_duplicates()
    {
        using var uncollapsed = Windows(TimeSpan.Zero);

        Assert.Equal(CollapseDecision.SendNow, uncollapsed.Offer("a", 1, "one"));
        Assert.Equal(CollapseDecision.SendNow, uncollapsed.Offer("a", 2, "two"));
        Assert.Equal(CollapseDecision.Duplicate, uncollapsed.Offer("a", 2, "two"));
        time.Advance(Window);
        Assert.Empty(released);
    }

    [Fact]
    public async Task A_failed_release_is_reported_and_the_next_window_opens_all_the_same()
    {
        var boom = new InvalidOperationException("boom");
        releaseOverride = (_, _, _) => Task.FromException(boom);
        windows.Offer("a", 1, "one");
        windows.Offer("a", 2, "two");

        time.Advance(Window);
        await Eventually.HoldsAsync(() => time.TimersCreated == 2, "the release fails and the next window opens");
        Assert.Equal(("a", (Exception)boom), Assert.Single(failures));

        releaseOverride = null;
        Assert.Equal(CollapseDecision.Held, windows.Offer("a", 3, "three"));
        time.Advance(Window);
        await Eventually.HoldsAsync(() => !released.IsEmpty, "the next held push is released");
        Assert.Equal(["a:three"], released);
    }

    [Fact]
    public async Task Stop_drops_held_pushes()
    {
        windows.Offer("a", 1, "one");
        windows.Offer("a", 2, "two");

        windows.Stop();
        time.Advance(Window * 2);
        await Task.Yield();

        Assert.Empty(released);
        Assert.Empty(failures);
    }

    [Fact]
    public async Task Stop_cancels_a_release_under_way_without_reporting_a_failure()
    {
        var started = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var cancelled = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        releaseOverride = async (_, _, cancellationToken) =>
        {
            started.SetResult();
            try
            {
                await Task.Delay(Timeout.InfiniteTimeSpan, cancellationToken);
            }
            finally
            {
                cancelled.SetResult();
            }
        };
        windows.Offer("a", 1, "one");
        windows.Offer("a", 2, "two");
        time.Advance(Window);
        await started.Task.WaitAsync(TimeSpan.FromSeconds(10));

        windows.Stop();
        await cancelled.Task.WaitAsync(TimeSpan.FromSeconds(10));
        await Task.Yield();

        Assert.Empty(failures);
    }

    [Fact]
    public void An_idle_slot_is_remembered_for_the_retention_and_forgotten_at_the_next_sweep_after_it()
    {
        using var uncollapsed = Windows(TimeSpan.Zero);
        uncollapsed.Offer("a", 7, "seven");

        time.Advance(CollapseWindows<string, string>.DedupeRetention);
        Assert.Equal(CollapseDecision.Duplicate, uncollapsed.Offer("a", 7, "seven again"));

        time.Advance(Tick);
        Assert.Equal(CollapseDecision.Duplicate, uncollapsed.Offer("a", 7, "seven again"));

        time.Advance(CollapseWindows<string, string>.SweepInterval);
        Assert.Equal(CollapseDecision.SendNow, uncollapsed.Offer("a", 7, "seven again"));
    }

    [Fact]
    public void A_slot_with_an_open_window_is_not_forgotten()
    {
        using var slow = Windows(CollapseWindows<string, string>.DedupeRetention * 2);
        slow.Offer("a", 1, "one");
        slow.Offer("a", 2, "two");

        time.Advance(CollapseWindows<string, string>.DedupeRetention + CollapseWindows<string, string>.SweepInterval + Tick);
        slow.Offer("b", 1, "sweeps");

        Assert.Equal(CollapseDecision.Duplicate, slow.Offer("a", 2, "two again"));
    }

    /// <summary>A <see cref="FakeTimeProvider"/> that counts the timers made from it (one per window).</summary>
    private sealed class CountingTimeProvider() : FakeTimeProvider(new DateTimeOffset(2030, 1, 1, 0, 0, 0, TimeSpan.Zero))
    {
        private int timersCreated;

        public int TimersCreated => Volatile.Read(ref timersCreated);

        public override ITimer CreateTimer(TimerCallback callback, object? state, TimeSpan dueTime, TimeSpan period)
        {
            Interlocked.Increment(ref timersCreated);
            return base.CreateTimer(callback, state, dueTime, period);
        }
    }
}
