using Messenger.Core.Errors;
using Messenger.Hosting.RateLimits;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;

namespace Messenger.IntegrationTests;

/// <summary>The failed-login table: bounded by forgetting its oldest entries, never cleared whole; only usernames are kept.</summary>
public sealed class LoginBackoffTests
{
    private readonly FakeTimeProvider time = new(new DateTimeOffset(2026, 12, 1, 8, 0, 0, TimeSpan.Zero));

    [Fact]
    public void Over_its_size_the_table_forgets_the_least_recently_failed_name_and_keeps_the_others()
    {
        var backoff = Backoff(maxTracked: 3, failuresBeforeBackoff: 1);
        backoff.Failed("anna");
        backoff.Failed("bert");
        backoff.Failed("carl");
        time.Advance(TimeSpan.FromMilliseconds(1));
        backoff.Failed("anna");

        backoff.Failed("dora");

        Assert.Equal(3, backoff.Count);
        backoff.ThrowIfWaiting("bert");
        Assert.True(IsWaiting(backoff, "anna"));
        Assert.True(IsWaiting(backoff, "carl"));
        Assert.True(IsWaiting(backoff, "dora"));
    }

    [Fact]
    public void A_flood_of_new_names_never_resets_the_backoff_of_an_account_under_attack()
    {
        var backoff = Backoff(maxTracked: 100, failuresBeforeBackoff: 5);
        for (var i = 0; i < 8; i++)
        {
            backoff.Failed("victim");
        }

        for (var i = 0; i < 100_000; i++)
        {
            backoff.Failed($"flood{i}");
        }

        Assert.Equal(100, backoff.Count);
        var waiting = Assert.Throws<ChatException>(() => backoff.ThrowIfWaiting("victim"));
        Assert.Equal(ErrorCodes.RateLimited, waiting.Code);
        Assert.True(waiting.RetryAfter >= TimeSpan.FromSeconds(8), $"retry after {waiting.RetryAfter}");
    }

    [Fact]
    public void When_only_backing_off_names_are_left_the_oldest_of_them_goes_first()
    {
        var backoff = Backoff(maxTracked: 2, failuresBeforeBackoff: 1);
        backoff.Failed("old");
        time.Advance(TimeSpan.FromMilliseconds(1));
        backoff.Failed("mid");
        time.Advance(TimeSpan.FromMilliseconds(1));
        backoff.Failed("new");

        Assert.Equal(2, backoff.Count);
        backoff.ThrowIfWaiting("old");
        Assert.True(IsWaiting(backoff, "mid"));
        Assert.True(IsWaiting(backoff, "new"));
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("ab")]
    [InlineData("Alice")]
    [InlineData("a name with spaces")]
    [InlineData("aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa")]
    public void Nothing_is_remembered_about_a_name_that_cannot_be_an_account(string? username)
    {
        var backoff = Backoff(maxTracked: 10, failuresBeforeBackoff: 1);

        backoff.Failed(username);
        backoff.Failed(username);

        Assert.Equal(0, backoff.Count);
        backoff.ThrowIfWaiting(username);
    }

    [Fact]
    public void A_huge_name_is_not_kept()
    {
        var backoff = Backoff(maxTracked: 10, failuresBeforeBackoff: 1);

        backoff.Failed(new string('a', 10_000_000));

        Assert.Equal(0, backoff.Count);
    }

    [Fact]
    public void A_success_forgets_the_name()
    {
        var backoff = Backoff(maxTracked: 10, failuresBeforeBackoff: 1);
        backoff.Failed("alice");

        backoff.Succeeded("alice");

        Assert.Equal(0, backoff.Count);
        backoff.ThrowIfWaiting("alice");
    }

    private LoginBackoff Backoff(int maxTracked, int failuresBeforeBackoff) =>
        new(Options.Create(new RateLimitOptions { MaxTrackedLoginFailures = maxTracked, LoginFailuresBeforeBackoff = failuresBeforeBackoff }), time);

    private static bool IsWaiting(LoginBackoff backoff, string username)
    {
        try
        {
            backoff.ThrowIfWaiting(username);
            return false;
        }
        catch (ChatException e) when (e.Code == ErrorCodes.RateLimited)
        {
            return true;
        }
    }
}
