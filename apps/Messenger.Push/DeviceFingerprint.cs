using System.Security.Cryptography;
using System.Text;

namespace Messenger.Push;

/// <summary>A device token is a bearer secret for pushing to a phone: logs name it by a short hash only.</summary>
internal static class DeviceFingerprint
{
    public static string Of(string token)
    {
        Span<byte> hash = stackalloc byte[SHA256.HashSizeInBytes];
        SHA256.HashData(Encoding.UTF8.GetBytes(token), hash);
        return "dev-" + Convert.ToHexStringLower(hash[..6]);
    }
}
