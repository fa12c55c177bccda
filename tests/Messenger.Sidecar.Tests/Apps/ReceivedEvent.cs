using System.Text.Json;

namespace Messenger.Sidecar.Tests.Apps;

/// <summary>An event as a test app's subscription route received it.</summary>
public sealed record ReceivedEvent(string Route, string? ContentType, string? Token, JsonElement CloudEvent)
{
    public string Id => CloudEvent.GetProperty("id").GetString()!;
}
