using System.Net;
using System.Text.Json.Nodes;

namespace Messenger.Testing;

/// <summary>An upload's answer: the status and, when it was accepted, the media.</summary>
public sealed record Uploaded(HttpStatusCode Status, JsonObject? Body)
{
    public string MediaId => (string)Body!["mediaId"]!;
}
