namespace Messenger.Core.Domain;

/// <summary>Where an upload is: only <see cref="Ready"/> media can be attached to a message or downloaded.</summary>
public enum MediaStatus
{
    /// <summary>The bytes are streaming through the app into blob storage.</summary>
    Uploading,

    /// <summary>A direct-upload URL was handed out; the bytes are not yet checked.</summary>
    AwaitingUpload,

    /// <summary>Stored and checked: type sniffed, size within its limit, SHA-256 known.</summary>
    Ready,

    /// <summary>
    /// Sent, and every message that carried it was deleted for everyone: no conversation may read it, and the sweeper
    /// deletes it with its blobs at its next pass.
    /// </summary>
    Released,
}
