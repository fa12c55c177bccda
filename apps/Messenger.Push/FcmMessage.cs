using System.Text.Json;
using Messenger.Core.Domain;

namespace Messenger.Push;

/// <summary>
/// The FCM HTTP v1 request body:
/// <c>{"message":{"token","notification":{"title","body"},"data":{...},"android":{"collapse_key"},"apns":{"payload":{"aps":{"thread-id"}}}}}</c>.
/// </summary>
internal static class FcmMessage
{
    public static byte[] Serialize(PushNotification notification)
    {
        using var buffer = new MemoryStream();
        using (var json = new Utf8JsonWriter(buffer))
        {
            json.WriteStartObject();
            json.WriteStartObject("message");
            json.WriteString("token", notification.DeviceToken);

            json.WriteStartObject("notification");
            json.WriteString("title", notification.Title);
            json.WriteString("body", notification.Body);
            json.WriteEndObject();

            json.WriteStartObject("data");
            foreach (var (name, value) in notification.Data)
            {
                json.WriteString(name, value);
            }

            json.WriteEndObject();

            json.WriteStartObject("android");
            json.WriteString("collapse_key", notification.CollapseKey);
            json.WriteEndObject();

            json.WriteStartObject("apns");
            json.WriteStartObject("payload");
            json.WriteStartObject("aps");
            json.WriteString("thread-id", notification.CollapseKey);
            json.WriteEndObject();
            json.WriteEndObject();
            json.WriteEndObject();

            json.WriteEndObject();
            json.WriteEndObject();
        }

        return buffer.ToArray();
    }
}
