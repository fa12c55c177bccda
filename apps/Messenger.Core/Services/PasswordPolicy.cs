namespace Messenger.Core.Services;

/// <summary>
/// The PBKDF2 rounds new password hashes get: <see cref="PasswordHasher.Iterations"/> unless a host lowers them for a
/// load test that registers thousands of users on one machine (the messages app allows that in Development only).
/// </summary>
public sealed record PasswordPolicy
{
    public PasswordPolicy(int iterations)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(iterations, 1);
        Iterations = iterations;
    }

    public static PasswordPolicy Default { get; } = new(PasswordHasher.Iterations);

    public int Iterations { get; }
}
