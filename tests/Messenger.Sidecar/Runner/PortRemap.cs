using System.Globalization;
using System.Text.RegularExpressions;

namespace Messenger.Sidecar.Runner;

/// <summary>
/// <c>up --free-ports</c>: every app with an <c>appPort</c> gets a port free on 127.0.0.1 instead, and every
/// environment value (common and per app) that names one of the file's app ports as <c>localhost:PORT</c> or
/// <c>127.0.0.1:PORT</c> is rewritten to <c>127.0.0.1:NEWPORT</c>: an app's own <c>ASPNETCORE_URLS</c> and the edge's
/// destinations follow their apps, and nothing listens beyond loopback. Two runs of one file can then share a machine.
/// </summary>
public static partial class PortRemap
{
    /// <summary>Rewrites <paramref name="file"/> in place; returns the map from the file's ports to the new ones.</summary>
    public static IReadOnlyDictionary<int, int> Apply(RunFile file, Func<int> takePort)
    {
        var map = new Dictionary<int, int>();
        foreach (var app in file.Apps)
        {
            if (app.AppPort is not { } port)
            {
                continue;
            }

            if (map.ContainsKey(port))
            {
                throw new InvalidDataException($"appPort {port} is given to more than one app.");
            }

            map[port] = takePort();
            app.AppPort = map[port];
        }

        Rewrite(file.Common.Env, map);
        foreach (var app in file.Apps)
        {
            Rewrite(app.Env, map);
        }

        return map;
    }

    /// <summary>The value with every <c>localhost:PORT</c> / <c>127.0.0.1:PORT</c> of a mapped port rewritten.</summary>
    public static string Rewrite(string value, IReadOnlyDictionary<int, int> map) =>
        HostPort().Replace(value, match =>
            int.TryParse(match.Groups["port"].Value, NumberStyles.None, CultureInfo.InvariantCulture, out var port) && map.TryGetValue(port, out var mapped)
                ? "127.0.0.1:" + mapped.ToString(CultureInfo.InvariantCulture)
                : match.Value);

    private static void Rewrite(Dictionary<string, string>? env, IReadOnlyDictionary<int, int> map)
    {
        if (env is null)
        {
            return;
        }

        foreach (var key in env.Keys.ToList())
        {
            env[key] = Rewrite(env[key], map);
        }
    }

    [GeneratedRegex(@"\b(?:localhost|127\.0\.0\.1):(?<port>\d{1,5})(?!\d)", RegexOptions.IgnoreCase)]
    private static partial Regex HostPort();
}
