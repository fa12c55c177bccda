namespace Messenger.Media.Storage;

/// <summary>Storing the upload would leave less than the free-space reserve on the local disk (answered 507 with code <c>insufficient_storage</c>).</summary>
public sealed class InsufficientStorageException()
    : Exception("The server is low on storage space; try again later.");
