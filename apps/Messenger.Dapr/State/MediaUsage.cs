namespace Messenger.Dapr.State;

/// <summary>
/// What <c>media-usage:{userId}</c> holds (ETag-guarded): the bytes the user's media count against the storage quota.
/// Every change is a compare-and-swap of this one key, so two uploads never both pass a check only one of them fits.
/// </summary>
public sealed record MediaUsage(long Bytes);
