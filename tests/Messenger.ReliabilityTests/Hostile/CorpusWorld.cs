using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Messenger.Core.Ports;
using Messenger.Hosting;
using Microsoft.Extensions.Options;
using Messenger.ReliabilityTests.Infrastructure;

namespace Messenger.ReliabilityTests.Hostile;

/// <summary>
/// One host with default settings and a small world the corpus is run against: "me" with a direct chat and a group
/// of its own, a group of others it is not in ("foreign"), and a group of others it is in but did not create. It
/// expands the corpus's placeholders and takes snapshots of everything stored, to show a bad input changed nothing.
/// </summary>
public sealed partial class CorpusWorld : IAsyncLifetime
{
    public StandaloneServer Server { get; private set; } = null!;

    public TestUser Me { get; private set; } = null!;

    public TestUser Other { get; private set; } = null!;

    public TestUser Third { get; private set; } = null!;

    public string Chat { get; private set; } = null!;

    public string Group { get; private set; } = null!;

    public string Foreign { get; private set; } = null!;

    public string Theirs { get; private set; } = null!;

    /// <summary>A username nobody has; a case that registered it would show up in the snapshot.</summary>
    public string NewName { get; } = ApiClient.UniqueName("corpus");

    public async Task InitializeAsync()
    {
        Server = await StandaloneServer.StartAsync();
        var at = Server.Api;
        Me = await at.RegisterAsync(prefix: "me");
        Other = await at.RegisterAsync(prefix: "other");
        Third = await at.RegisterAsync(prefix: "third");
        Chat = await at.ConversationAsync(Me, "direct", Other);
        Group = await at.ConversationAsync(Me, "group", Other);
        Foreign = await at.ConversationAsync(Other, "group", Third);
        Theirs = await at.ConversationAsync(Other, "group", Me, Third);
        foreach (var (user, conversation) in new[] { (Other, Chat), (Me, Chat), (Other, Foreign), (Third, Theirs) })
        {
            var (status, _) = await at.PostAsync(user, $"/api/conversations/{conversation}/messages", new { clientMessageId = Guid.NewGuid().ToString("n"), text = "seed" });
            Assert.Equal(System.Net.HttpStatusCode.Created, status);
        }

        // Everything in the chat is read already, so that a clamped read cursor changes nothing.
        Assert.Equal(System.Net.HttpStatusCode.NoContent, (await at.PostAsync(Me, $"/api/conversations/{Chat}/read", new { seq = 2 })).Status);
    }

    public async Task DisposeAsync() => await Server.DisposeAsync();

    /// <summary>The case's bytes with {chat}, {me}, {pad:N} … put in; bytes outside the placeholders stay exactly as they are.</summary>
    public byte[] Expand(byte[] raw) =>
        Encoding.Latin1.GetBytes(Placeholder().Replace(Encoding.Latin1.GetString(raw), match => match.Groups[1].Value switch
        {
            "chat" => Chat,
            "group" => Group,
            "foreign" => Foreign,
            "theirs" => Theirs,
            "me" => Me.UserId,
            "other" => Other.UserId,
            "third" => Third.UserId,
            "myname" => Me.Username,
            "MYNAME" => Me.Username.ToUpperInvariant(),
            "newname" => NewName,
            "NEWNAME" => NewName.ToUpperInvariant(),
            var p when p.StartsWith("pad:", StringComparison.Ordinal) => new string('x', Count(p)),
            var p when p.StartsWith("nest:", StringComparison.Ordinal) => new string('[', Count(p)) + new string(']', Count(p)),
            var p when p.StartsWith("cursors:", StringComparison.Ordinal) => string.Join(",", Enumerable.Range(0, Count(p)).Select(i => $"\"k{i}\":0")),
            var p when p.StartsWith("members:", StringComparison.Ordinal) => string.Join(",", Enumerable.Range(0, Count(p)).Select(i => $"\"u_{i:x32}\"")),
            var p => throw new InvalidOperationException($"Unknown placeholder {{{p}}}"),
        }));

    /// <summary>Everything a case could have changed, as JSON text.</summary>
    public async Task<string> SnapshotAsync()
    {
        var at = Server.Api;
        var parts = new List<string>();
        foreach (var user in new[] { Me, Other, Third })
        {
            parts.Add(string.Join(",", (await at.ConversationsAsync(user)).Select(c => c.ToJsonString())));
            var devices = await Server.Get<IDeviceStore>().ListAsync(user.UserId, CancellationToken.None);
            parts.Add(string.Join(",", devices.Select(d => d.Token)));
        }

        foreach (var (user, conversation) in new[] { (Me, Chat), (Me, Group), (Other, Foreign), (Other, Theirs) })
        {
            parts.Add(string.Join(",", (await at.AllMessagesAsync(user, conversation)).Select(m => m.ToJsonString())));
        }

        using var http = at.Http(Me.Token);
        using var profile = await http.GetAsync($"/api/users/{NewName}");
        parts.Add("new name: " + (int)profile.StatusCode);
        return string.Join("\n", parts);
    }

    /// <summary>The Authorization header for a case's auth column.</summary>
    public string? Authorization(string auth) => auth switch
    {
        "me" => "Bearer " + Me.Token,
        "none" => null,
        "forged" => "Bearer " + Jwt("HS256", RandomNumberGenerator.GetBytes(48)),
        "alg-none" => "Bearer " + Jwt("none", null),
        "garbage" => "Bearer abc.def",
        _ => throw new InvalidOperationException($"Unknown auth {auth}"),
    };

    private string Jwt(string algorithm, byte[]? key)
    {
        static string Encode(byte[] bytes) => Convert.ToBase64String(bytes).TrimEnd('=').Replace('+', '-').Replace('/', '_');
        var header = Encode(Encoding.UTF8.GetBytes(new JsonObject { ["alg"] = algorithm, ["typ"] = "JWT" }.ToJsonString()));
        // Right issuer, audience and claims: only the signature is wrong (or missing).
        var auth = Server.Get<IOptions<AuthOptions>>().Value;
        var claims = new JsonObject
        {
            [MessengerClaims.UserId] = Me.UserId, [MessengerClaims.Username] = Me.Username, [MessengerClaims.TokenId] = "t_forged",
            ["iss"] = auth.Issuer, ["aud"] = auth.Audience, ["exp"] = DateTimeOffset.UtcNow.AddHours(1).ToUnixTimeSeconds(),
        };
        var payload = Encode(Encoding.UTF8.GetBytes(claims.ToJsonString()));
        var signature = key is null ? string.Empty : Encode(HMACSHA256.HashData(key, Encoding.ASCII.GetBytes($"{header}.{payload}")));
        return $"{header}.{payload}.{signature}";
    }

    private static int Count(string placeholder) => int.Parse(placeholder[(placeholder.IndexOf(':') + 1)..], System.Globalization.CultureInfo.InvariantCulture);

    [GeneratedRegex(@"\{(chat|group|foreign|theirs|me|other|third|myname|MYNAME|newname|NEWNAME|pad:\d+|nest:\d+|cursors:\d+|members:\d+)\}")]
    private static partial Regex Placeholder();
}
