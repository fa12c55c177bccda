using System.Globalization;
using System.Security.Cryptography;
using System.Text;

namespace Messenger.Core.Services;

/// <summary>
/// PBKDF2-HMAC-SHA256 at OWASP's current strength (600,000 iterations), a 16-byte salt per password. The stored form
/// names its scheme and iteration count (<c>pbkdf2-sha256$600000$salt$key</c>), so a hash made with fewer iterations
/// still verifies and is replaced at the next successful login (<see cref="NeedsRehash"/>).
/// </summary>
public static class PasswordHasher
{
    public const int Iterations = 600_000;
    private const string Scheme = "pbkdf2-sha256";
    private const int SaltBytes = 16;
    private const int KeyBytes = 32;

    public static string Hash(string password) => Hash(password, Iterations);

    /// <summary>A hash with <paramref name="iterations"/> rounds (see <see cref="PasswordPolicy"/>).</summary>
    public static string Hash(string password, int iterations)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(iterations, 1);
        var salt = RandomNumberGenerator.GetBytes(SaltBytes);
        var key = Derive(password, salt, iterations);
        return string.Create(CultureInfo.InvariantCulture, $"{Scheme}${iterations}${Convert.ToBase64String(salt)}${Convert.ToBase64String(key)}");
    }

    public static bool Verify(string password, string encoded)
    {
        var parts = encoded.Split('$');
        if (!TryReadIterations(parts, out var iterations))
        {
            return false;
        }

        var salt = new byte[parts[2].Length];
        var expected = new byte[parts[3].Length];
        if (!Convert.TryFromBase64String(parts[2], salt, out var saltLength) || !Convert.TryFromBase64String(parts[3], expected, out var keyLength))
        {
            return false;
        }

        return CryptographicOperations.FixedTimeEquals(Derive(password, salt[..saltLength], iterations), expected.AsSpan(0, keyLength));
    }

    /// <summary>True when <paramref name="encoded"/> was made with weaker parameters than <see cref="Hash"/> uses now.</summary>
    public static bool NeedsRehash(string encoded) => NeedsRehash(encoded, Iterations);

    /// <summary>True when <paramref name="encoded"/> has fewer rounds than <paramref name="iterations"/>, or is unreadable.</summary>
    public static bool NeedsRehash(string encoded, int iterations) =>
        !TryReadIterations(encoded.Split('$'), out var actual) || actual < iterations;

    /// <summary>Spends the same time as a real check, so that an unknown username cannot be told apart by timing.</summary>
    public static void VerifyNothing(string password) => Derive(password, new byte[SaltBytes], Iterations);

    private static bool TryReadIterations(string[] parts, out int iterations)
    {
        iterations = 0;
        return parts.Length == 4 && parts[0] == Scheme
            && int.TryParse(parts[1], NumberStyles.None, CultureInfo.InvariantCulture, out iterations) && iterations >= 1;
    }

    private static byte[] Derive(string password, byte[] salt, int iterations) =>
        Rfc2898DeriveBytes.Pbkdf2(Encoding.UTF8.GetBytes(password), salt, iterations, HashAlgorithmName.SHA256, KeyBytes);
}
