using System.Security.Cryptography;
using Messenger.Core.Errors;

namespace Messenger.Media.Ingest;

/// <summary>
/// A read-only pass over an upload: the sniffed header first, then the rest of the source. It counts the bytes,
/// hashes them (SHA-256) and keeps the first <c>captureLength</c> of them (enough to read an image's dimensions);
/// a read past <c>limit</c> bytes throws <see cref="ChatException.TooLarge"/>, and a read past what <see cref="Allow"/>
/// allowed throws its exception, so nothing past either is stored.
/// </summary>
internal sealed class InspectingStream(ReadOnlyMemory<byte> header, Stream source, long limit, int captureLength) : Stream
{
    private readonly IncrementalHash hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
    private readonly byte[] captured = new byte[captureLength];
    private ReadOnlyMemory<byte> header = header;
    private int capturedLength;
    private long total;
    private long allowance = long.MaxValue;
    private Func<Exception>? overAllowance;

    public long BytesRead => total;

    /// <summary>The first bytes of the content, up to the capture length.</summary>
    public ReadOnlyMemory<byte> Captured => captured.AsMemory(0, capturedLength);

    public override bool CanRead => true;

    public override bool CanSeek => false;

    public override bool CanWrite => false;

    public override long Length => throw new NotSupportedException();

    public override long Position
    {
        get => total;
        set => throw new NotSupportedException();
    }

    /// <summary>Caps the content at <paramref name="bytes"/> (what was reserved for it): a read past them throws <paramref name="error"/>'s exception.</summary>
    public void Allow(long bytes, Func<Exception> error)
    {
        allowance = bytes;
        overAllowance = error;
    }

    /// <summary>The SHA-256 of everything read, in lower-case hex; call once, at the end.</summary>
    public string Sha256() => Convert.ToHexStringLower(hash.GetHashAndReset());

    public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
    {
        int read;
        if (!header.IsEmpty)
        {
            read = Math.Min(header.Length, buffer.Length);
            header[..read].CopyTo(buffer);
            header = header[read..];
        }
        else
        {
            read = await source.ReadAsync(buffer, cancellationToken);
        }

        return Account(buffer.Span[..read]);
    }

    public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
        ReadAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

    public override int Read(byte[] buffer, int offset, int count) => Read(buffer.AsSpan(offset, count));

    public override int Read(Span<byte> buffer)
    {
        int read;
        if (!header.IsEmpty)
        {
            read = Math.Min(header.Length, buffer.Length);
            header.Span[..read].CopyTo(buffer);
            header = header[read..];
        }
        else
        {
            read = source.Read(buffer);
        }

        return Account(buffer[..read]);
    }

    public override void Flush()
    {
    }

    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

    public override void SetLength(long value) => throw new NotSupportedException();

    public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();

    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            hash.Dispose();
        }

        base.Dispose(disposing);
    }

    private int Account(ReadOnlySpan<byte> chunk)
    {
        total += chunk.Length;
        if (total > limit)
        {
            throw ChatException.TooLarge($"The file is larger than the limit of {limit} bytes for its type.");
        }

        if (total > allowance)
        {
            throw overAllowance!();
        }

        hash.AppendData(chunk);
        if (capturedLength < captured.Length)
        {
            var take = Math.Min(chunk.Length, captured.Length - capturedLength);
            chunk[..take].CopyTo(captured.AsSpan(capturedLength));
            capturedLength += take;
        }

        return chunk.Length;
    }
}
