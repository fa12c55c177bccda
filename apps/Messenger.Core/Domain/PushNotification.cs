namespace Messenger.Core.Domain;

/// <summary>One notification for one device; <see cref="CollapseKey"/> groups a conversation's pushes.</summary>
public sealed record PushNotification(
    string DeviceToken,
    DevicePlatform Platform,
    string Title,
    string Body,
    IReadOnlyDictionary<string, string> Data,
    string CollapseKey);
