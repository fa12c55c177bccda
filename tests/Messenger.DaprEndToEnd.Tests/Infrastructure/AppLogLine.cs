using System.Text.Json;

namespace Messenger.DaprEndToEnd.Tests.Infrastructure;

/// <summary>
/// One JSON log line of an app of the run (the runner writes it as <c>== APP - &lt;instance&gt; == {json}</c>): the
/// instance, the trace id and the request path from its scopes (the activity's scope, ASP.NET Core's request scope),
/// the level, the category, the message and the message's string arguments (its <c>State</c>).
/// </summary>
public sealed record AppLogLine(
    string Instance, string? TraceId, string? RequestPath, string Level, string Category, string Message, IReadOnlyDictionary<string, string> State)
{
    /// <summary>The level name of <see cref="Microsoft.Extensions.Logging.LogLevel.Debug"/> in the JSON lines.</summary>
    public const string DebugLevel = "Debug";

    private const string Prefix = "== APP - ";
    private const string Separator = " == ";

    /// <summary>The names in the console's JSON lines (<c>JsonConsoleFormatter</c>) and in their scopes.</summary>
    private const string ScopesName = "Scopes";
    private const string StateName = "State";
    private const string LevelName = "LogLevel";
    private const string CategoryName = "Category";
    private const string MessageName = "Message";
    private const string TraceIdName = "TraceId";
    private const string RequestPathName = "RequestPath";

    /// <summary>The app lines among <paramref name="lines"/> that are JSON log records; other lines are left out.</summary>
    public static IReadOnlyList<AppLogLine> Parse(IEnumerable<string> lines)
    {
        var parsed = new List<AppLogLine>();
        foreach (var line in lines)
        {
            if (TryParse(line) is { } appLine)
            {
                parsed.Add(appLine);
            }
        }

        return parsed;
    }

    public static AppLogLine? TryParse(string line)
    {
        if (!line.StartsWith(Prefix, StringComparison.Ordinal))
        {
            return null;
        }

        var end = line.IndexOf(Separator, Prefix.Length, StringComparison.Ordinal);
        if (end < 0 || end + Separator.Length >= line.Length || line[end + Separator.Length] != '{')
        {
            return null;
        }

        var instance = line[Prefix.Length..end];
        try
        {
            using var document = JsonDocument.Parse(line[(end + Separator.Length)..]);
            var root = document.RootElement;
            string? traceId = null;
            string? requestPath = null;
            if (root.TryGetProperty(ScopesName, out var scopes) && scopes.ValueKind == JsonValueKind.Array)
            {
                foreach (var scope in scopes.EnumerateArray().Where(s => s.ValueKind == JsonValueKind.Object))
                {
                    traceId ??= StringOf(scope, TraceIdName);
                    requestPath ??= StringOf(scope, RequestPathName);
                }
            }

            var state = new Dictionary<string, string>(StringComparer.Ordinal);
            if (root.TryGetProperty(StateName, out var values) && values.ValueKind == JsonValueKind.Object)
            {
                foreach (var value in values.EnumerateObject().Where(v => v.Value.ValueKind == JsonValueKind.String))
                {
                    state[value.Name] = value.Value.GetString()!;
                }
            }

            return new AppLogLine(
                instance, traceId, requestPath, StringOf(root, LevelName) ?? "", StringOf(root, CategoryName) ?? "", StringOf(root, MessageName) ?? "", state);
        }
        catch (JsonException)
        {
            return null;
        }
    }

    private static string? StringOf(JsonElement element, string name) =>
        element.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String ? value.GetString() : null;
}
