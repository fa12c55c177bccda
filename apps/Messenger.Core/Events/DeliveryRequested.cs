using Messenger.Core.Protocol;

namespace Messenger.Core.Events;

/// <summary>Sent to one gateway's topic: give <see cref="Frame"/> to every connection it holds of these users.</summary>
public sealed record DeliveryRequested(IReadOnlyList<string> UserIds, string? ExceptConnectionId, ServerFrame Frame);
