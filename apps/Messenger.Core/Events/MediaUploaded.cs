namespace Messenger.Core.Events;

/// <summary>A photo or video passed its checks and is stored: make its thumbnail (a pub/sub event in Dapr mode).</summary>
public sealed record MediaUploaded(string MediaId, string OwnerId, string ContentType);
