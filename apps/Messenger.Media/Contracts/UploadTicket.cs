namespace Messenger.Media.Contracts;

/// <summary>
/// Where and how to upload one file directly: <c>PUT</c> the bytes to <see cref="UploadUrl"/> with
/// <see cref="Headers"/> before <see cref="ExpiresAt"/>, then <c>POST</c> <see cref="CompleteUrl"/>.
/// </summary>
public sealed record UploadTicket(
    string MediaId,
    string UploadUrl,
    string Method,
    IReadOnlyDictionary<string, string> Headers,
    DateTimeOffset ExpiresAt,
    long MaxSize,
    string CompleteUrl);
