using System.Globalization;
using System.Net;
using System.Security.Cryptography;
using System.Text;
using Messenger.Core.Domain;
using Messenger.Core.Ports;
using Messenger.Core.Services;

namespace Messenger.IntegrationTests;

/// <summary>Accounts whose password was hashed with fewer iterations (before the move to 600,000) keep working and are upgraded.</summary>
public sealed class PasswordUpgradeTests
{
    private const string Password = "correct horse";

    [Fact]
    public async Task A_login_over_http_upgrades_an_old_hash_in_the_store_and_the_password_keeps_working()
    {
        await using var server = await StandaloneServer.StartAsync();
        var users = server.Get<IUserStore>();
        var username = ApiClient.UniqueName("legacy");
        var old = LegacyHash(Password, 100_000);
        Assert.True(await users.TryCreateAsync(new User("u_" + Guid.NewGuid().ToString("n"), username, "Legacy", old, DateTimeOffset.UtcNow), CancellationToken.None));

        var (first, _) = await server.Api.PostAsync(null, "/api/auth/login", new { username, password = Password });

        Assert.Equal(HttpStatusCode.OK, first);
        var stored = (await users.FindByUsernameAsync(username, CancellationToken.None))!.PasswordHash;
        Assert.NotEqual(old, stored);
        Assert.StartsWith($"pbkdf2-sha256${PasswordHasher.Iterations}$", stored, StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.OK, (await server.Api.PostAsync(null, "/api/auth/login", new { username, password = Password })).Status);
        Assert.Equal(HttpStatusCode.Unauthorized, (await server.Api.PostAsync(null, "/api/auth/login", new { username, password = "wrong horse" })).Status);
    }

    /// <summary>The stored form the earlier code wrote: <c>pbkdf2-sha256$iterations$salt$key</c>.</summary>
    private static string LegacyHash(string password, int iterations)
    {
        var salt = RandomNumberGenerator.GetBytes(16);
        var key = Rfc2898DeriveBytes.Pbkdf2(Encoding.UTF8.GetBytes(password), salt, iterations, HashAlgorithmName.SHA256, 32);
        return string.Create(CultureInfo.InvariantCulture, $"pbkdf2-sha256${iterations}${Convert.ToBase64String(salt)}${Convert.ToBase64String(key)}");
    }
}
