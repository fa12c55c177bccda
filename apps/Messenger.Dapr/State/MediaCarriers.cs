namespace Messenger.Dapr.State;

/// <summary>What <c>media:{id}:carriers</c> holds: how many stored messages carry the media.</summary>
public sealed record MediaCarriers(long Messages);
