using System.Globalization;
using Messenger.Core.Services;

namespace Messenger.Core.Tests;

public sealed class PasswordHasherTests
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
    public void Hash_records_at_least_100000_iterations()
    {
        var parts = PasswordHasher.Hash("password1").Split('$');

        Assert.Equal(4, parts.Length);
        Assert.True(int.Parse(parts[1], CultureInfo.InvariantCulture) >= 100_000, $"iterations {parts[1]}");
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
