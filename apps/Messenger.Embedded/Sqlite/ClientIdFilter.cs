using System.IO.Hashing;
using System.Runtime.InteropServices;

namespace Messenger.Embedded.Sqlite;

/// <summary>
/// A Bloom filter of one conversation's (sender, clientMessageId) pairs: "not there" is certain, "maybe there" (about
/// one in a hundred for an id never sent, at the filter's capacity) has to be looked up. Not thread-safe: a
/// conversation's owner uses it one call at a time.
/// </summary>
internal sealed class ClientIdFilter
{
    private const int BitsPerId = 10;
    private const int Hashes = 7;
    private const int SmallestCapacity = 256;
    private readonly ulong[] bits;
    private readonly uint size;

    /// <param name="expected">How many ids it will hold at least; it takes twice that before it is <see cref="Full"/>.</param>
    public ClientIdFilter(int expected)
    {
        Capacity = Math.Max(SmallestCapacity, expected * 2);
        size = (uint)(Capacity * BitsPerId);
        bits = new ulong[(size + 63) / 64];
    }

    /// <summary>How many ids it holds before false positives grow past its rate; a bigger one is built then.</summary>
    public int Capacity { get; }

    public int Count { get; private set; }

    public bool Full => Count >= Capacity;

    public void Add(string senderId, string clientMessageId)
    {
        var (first, step) = Hash(senderId, clientMessageId);
        for (var i = 0u; i < Hashes; i++)
        {
            var bit = (first + (i * step)) % size;
            bits[bit >> 6] |= 1UL << (int)(bit & 63);
        }

        Count++;
    }

    public bool MightContain(string senderId, string clientMessageId)
    {
        var (first, step) = Hash(senderId, clientMessageId);
        for (var i = 0u; i < Hashes; i++)
        {
            var bit = (first + (i * step)) % size;
            if ((bits[bit >> 6] & (1UL << (int)(bit & 63))) == 0)
            {
                return false;
            }
        }

        return true;
    }

    /// <summary>Two hashes of the pair (double hashing gives the rest); the step is odd, so never zero.</summary>
    private static (uint First, uint Step) Hash(string senderId, string clientMessageId)
    {
        var seed = XxHash3.HashToUInt64(MemoryMarshal.AsBytes(senderId.AsSpan()));
        var hash = XxHash3.HashToUInt64(MemoryMarshal.AsBytes(clientMessageId.AsSpan()), (long)seed);
        return ((uint)hash, (uint)(hash >> 32) | 1);
    }
}
