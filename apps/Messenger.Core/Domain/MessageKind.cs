using System.Text.Json.Serialization;

namespace Messenger.Core.Domain;

/// <summary>
/// What a stored event of a conversation is: a message, or a change to one (each with a seq of its own, in order with
/// the messages). On the wire: <c>message</c>, <c>reaction</c>, <c>edit</c>, <c>delete</c>.
/// </summary>
public enum MessageKind
{
    [JsonStringEnumMemberName("message")]
    Message,

    [JsonStringEnumMemberName("reaction")]
    Reaction,

    [JsonStringEnumMemberName("edit")]
    Edit,

    [JsonStringEnumMemberName("delete")]
    Delete,
}
