using System.ComponentModel.DataAnnotations;

namespace Messenger.Media;

/// <summary>
/// Settings of the media app (section <c>Messenger:Media</c>; environment <c>Messenger__Media__...</c>).
/// <see cref="BlobConnectionString"/> is a secret: configuration (or the secret store) only, never logged.
/// </summary>
public sealed class MediaOptions
{
    public const string Section = "Messenger:Media";
    public const long MiB = 1024 * 1024;
    public const long GiB = 1024 * MiB;

    /// <summary>When set, blobs live in Azure Blob Storage (it must carry an account key, to sign SAS URLs); else on the local disk.</summary>
    public string? BlobConnectionString { get; set; }

    [Required]
    [RegularExpression("^[a-z0-9](?!.*--)[a-z0-9-]{1,61}[a-z0-9]$", ErrorMessage = "ContainerName must be a valid blob container name.")]
    public string ContainerName { get; set; } = "media";

    /// <summary>Where blobs live without blob storage; unset means <c>{Messenger:DataDir}/media</c>.</summary>
    public string? LocalDirectory { get; set; }

    /// <summary>Images are read whole into memory to make their thumbnails: at most 1 GiB.</summary>
    [Range(typeof(long), "1", "1073741824")]
    public long MaxImageBytes { get; set; } = 25 * MiB;

    [Range(typeof(long), "1", "5497558138880")]
    public long MaxVideoBytes { get; set; } = 100 * MiB;

    /// <summary>How long a download redirect (a read-only SAS URL) stays valid: at most 10 minutes.</summary>
    [Range(typeof(TimeSpan), "00:00:01", "00:10:00")]
    public TimeSpan DownloadUrlLifetime { get; set; } = TimeSpan.FromMinutes(5);

    /// <summary>How long a direct-upload URL (a write-only SAS URL for one blob) stays valid.</summary>
    [Range(typeof(TimeSpan), "00:00:01", "01:00:00")]
    public TimeSpan UploadUrlLifetime { get; set; } = TimeSpan.FromMinutes(15);

    /// <summary>How long after its URL expired a direct upload may still be completed before it is swept.</summary>
    [Range(typeof(TimeSpan), "00:00:00", "01:00:00")]
    public TimeSpan UploadCompletionGrace { get; set; } = TimeSpan.FromMinutes(10);

    /// <summary>An upload through the app still unfinished after this long (the process died under it) is swept.</summary>
    [Range(typeof(TimeSpan), "00:01:00", "1.00:00:00")]
    public TimeSpan UploadTimeout { get; set; } = TimeSpan.FromHours(1);

    /// <summary>How often abandoned uploads and expired staging blobs are swept.</summary>
    [Range(typeof(TimeSpan), "00:00:00.050", "01:00:00")]
    public TimeSpan SweepInterval { get; set; } = TimeSpan.FromMinutes(1);

    /// <summary>
    /// The bytes one user's media may take: originals (while uploading, what the upload reserved) and thumbnails, of
    /// media sent or not yet swept. An upload that would pass it gets 403 <c>quota_exceeded</c>.
    /// </summary>
    [Range(typeof(long), "1", "9223372036854775807")]
    public long UserQuota { get; set; } = GiB;

    /// <summary>Media not sent in any message this long after its upload is deleted, thumbnail too, and its bytes given back to the quota.</summary>
    [Range(typeof(TimeSpan), "00:00:01", "365.00:00:00")]
    public TimeSpan UnsentLifetime { get; set; } = TimeSpan.FromHours(24);

    /// <summary>
    /// Local disk only: the free bytes an upload must leave on the disk of <see cref="LocalDirectory"/> (by default the
    /// database's), else it gets 507 <c>insufficient_storage</c>; 0 turns the check off.
    /// </summary>
    [Range(typeof(long), "0", "9223372036854775807")]
    public long FreeSpaceReserve { get; set; } = GiB;

    /// <summary>The longest side of a thumbnail, in pixels.</summary>
    [Range(16, 320)]
    public int ThumbnailSize { get; set; } = 320;

    /// <summary>
    /// Images with more pixels than this are stored but not decoded (no thumbnail): a guard against decompression
    /// bombs. Decoding one costs up to 4 bytes a pixel at once (ImageSharp 2 decodes at full size), so 32 MP is
    /// about 128 MB: 12 to 32 MP camera photos get thumbnails, 48 MP and larger ones do not.
    /// </summary>
    [Range(typeof(long), "1", "1000000000")]
    public long MaxDecodePixels { get; set; } = 32_000_000;

    /// <summary>The size of each block staged to blob storage: the most of an upload held in memory at once.</summary>
    [Range(64 * 1024, 100 * 1024 * 1024)]
    public int BlockSize { get; set; } = 4 * 1024 * 1024;

    public bool UsesBlobStorage => !string.IsNullOrWhiteSpace(BlobConnectionString);

    public long MaxUploadBytes => Math.Max(MaxImageBytes, MaxVideoBytes);

    public long LimitFor(MediaKind kind) => kind == MediaKind.Image ? MaxImageBytes : MaxVideoBytes;
}
