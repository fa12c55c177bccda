using System.Security.Cryptography;

namespace Messenger.Core.Domain;

/// <summary>Unguessable identifiers: 128 random bits, URL-safe.</summary>
public static class Ids
{
    public static string New(string prefix)
    {
        Span<byte> bytes = stackalloc byte[16];
        RandomNumberGenerator.Fill(bytes);
        return prefix + Convert.ToHexStringLower(bytes);
    }

    /// <summary>Ids the system hands out are a short prefix and hex; nothing else gets near a store key.</summary>
    public static bool IsWellFormed(string? id) =>
        id is { Length: > 0 and <= 64 } && id.All(c => char.IsAsciiLetterOrDigit(c) || c is '_' or '-');
}
