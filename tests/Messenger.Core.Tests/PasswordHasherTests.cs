using System.Globalization;
using Messenger.Core.Services;
using Xunit.Abstractions;

namespace Messenger.Core.Tests;

public sealed class PasswordHasherTests(ITestOutputHelper output)
{
    [Fact]
    public void Verify_accepts_the_password_that_was_hashed()
    {
        var hash = PasswordHasher.Hash("correct horse battery staple");

        Assert.True(PasswordHasher.Verify("correct horse battery staple", hash));
    }

    [Theory]
    [InlineData("correct horse battery stapl")]
    [InlineData("Correct horse battery staple")]
    [InlineData("")]
    public void Verify_rejects_a_wrong_password(string wrong)
    {
        var hash = PasswordHasher.Hash("correct horse battery staple");

        Assert.False(PasswordHasher.Verify(wrong, hash));
    }

    [Fact]
    public void Hash_records_at_least_owasps_600000_iterations()
    {
        var parts = PasswordHasher.Hash("password1").Split('$');

        Assert.Equal(4, parts.Length);
        Assert.True(int.Parse(parts[1], CultureInfo.InvariantCulture) >= 600_000, $"iterations {parts[1]}");
        Assert.False(PasswordHasher.NeedsRehash(PasswordHasher.Hash("password1")));
    }

    [Fact]
    public void A_hash_of_fewer_iterations_still_verifies_and_needs_a_rehash()
    {
        var old = LegacyHash("correct horse battery staple", 100_000);

        Assert.True(PasswordHasher.Verify("correct horse battery staple", old));
        Assert.False(PasswordHasher.Verify("correct horse battery stapl", old));
        Assert.True(PasswordHasher.NeedsRehash(old));
    }

    [Theory]
    [InlineData("")]
    [InlineData("md5$1$abc$def")]
    [InlineData("pbkdf2-sha256$many$AAAA$AAAA")]
    public void An_encoding_it_does_not_know_needs_a_rehash(string encoded)
    {
        Assert.True(PasswordHasher.NeedsRehash(encoded));
    }

    /// <summary>
    /// Not a timed assertion: prints what one login costs (one PBKDF2 derivation) on this machine, the figure the
    /// login limits are set with (docs/reliability.md).
    /// </summary>
    [Fact]
    public void One_verification_costs_one_derivation_whose_time_is_reported()
    {
        var hash = PasswordHasher.Hash("correct horse battery staple");
        var cpu = System.Diagnostics.Stopwatch.StartNew();
        var threadTime = Environment.CpuUsage.UserTime + Environment.CpuUsage.PrivilegedTime;
        const int Runs = 5;
        for (var i = 0; i < Runs; i++)
        {
            Assert.True(PasswordHasher.Verify("correct horse battery staple", hash));
        }

        var used = Environment.CpuUsage.UserTime + Environment.CpuUsage.PrivilegedTime - threadTime;
        output.WriteLine($"one verification at {PasswordHasher.Iterations:N0} iterations: {cpu.Elapsed.TotalMilliseconds / Runs:F0} ms wall, {used.TotalMilliseconds / Runs:F0} ms CPU (process, mean of {Runs})");
    }

    internal static string LegacyHash(string password, int iterations)
    {
        var salt = System.Security.Cryptography.RandomNumberGenerator.GetBytes(16);
        var key = System.Security.Cryptography.Rfc2898DeriveBytes.Pbkdf2(
            System.Text.Encoding.UTF8.GetBytes(password), salt, iterations, System.Security.Cryptography.HashAlgorithmName.SHA256, 32);
        return string.Create(CultureInfo.InvariantCulture, $"pbkdf2-sha256${iterations}${Convert.ToBase64String(salt)}${Convert.ToBase64String(key)}");
    }

    [Fact]
    public void Hash_salts_each_password_so_equal_passwords_hash_differently()
    {
        Assert.NotEqual(PasswordHasher.Hash("password1"), PasswordHasher.Hash("password1"));
    }

    [Fact]
    public void Hash_does_not_contain_the_password()
    {
        Assert.DoesNotContain("password1", PasswordHasher.Hash("password1"), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("")]
    [InlineData("password1")]
    [InlineData("md5$1$abc$def")]
    [InlineData("pbkdf2-sha256$0$AAAA$AAAA")]
    [InlineData("pbkdf2-sha256$many$AAAA$AAAA")]
    public void Verify_rejects_an_encoding_it_does_not_know(string encoded)
    {
        Assert.False(PasswordHasher.Verify("password1", encoded));
    }

    [Fact]
    public void Verify_handles_non_ascii_passwords()
    {
        var hash = PasswordHasher.Hash("pässwörd-🔑");

        Assert.True(PasswordHasher.Verify("pässwörd-🔑", hash));
        Assert.False(PasswordHasher.Verify("passwörd-🔑", hash));
    }
}
