namespace Messenger.Push;

/// <summary>Body of <c>POST /api/devices</c>: an FCM registration token and "android", "ios" or "web".</summary>
public sealed record DeviceRegistration(string? Token, string? Platform);
