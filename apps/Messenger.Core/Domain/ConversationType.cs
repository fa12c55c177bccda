using System.Text.Json.Serialization;

namespace Messenger.Core.Domain;

public enum ConversationType
{
    [JsonStringEnumMemberName("direct")]
    Direct,

    [JsonStringEnumMemberName("group")]
    Group,
}
