using System.Net;
using System.Net.Sockets;

namespace Messenger.Hosting.RateLimits;

/// <summary>
/// The bucket key of a client address: an IPv4 address as itself (an IPv4-mapped IPv6 address as its IPv4 address),
/// an IPv6 address by its /64, the smallest block one subscriber is usually given (a host picks any address in it).
/// </summary>
public static class ClientAddress
{
    public const int Ipv6PrefixLength = 64;

    public static string KeyOf(IPAddress? address)
    {
        if (address is null)
        {
            return "unknown";
        }

        if (address.IsIPv4MappedToIPv6)
        {
            return address.MapToIPv4().ToString();
        }

        if (address.AddressFamily != AddressFamily.InterNetworkV6)
        {
            return address.ToString();
        }

        var bytes = address.GetAddressBytes();
        Array.Clear(bytes, Ipv6PrefixLength / 8, bytes.Length - (Ipv6PrefixLength / 8));
        return $"{new IPAddress(bytes)}/{Ipv6PrefixLength}";
    }
}
