using System.Text.Json.Serialization;

namespace Messenger.Core.Domain;

public enum DevicePlatform
{
    [JsonStringEnumMemberName("android")]
    Android,

    [JsonStringEnumMemberName("ios")]
    Ios,

    [JsonStringEnumMemberName("web")]
    Web,
}
