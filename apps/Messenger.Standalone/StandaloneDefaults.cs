using System.Security.Cryptography;
using Messenger.Embedded;
using Messenger.Hosting;

namespace Messenger.Standalone;

/// <summary>What makes one process run on a fresh machine with no settings: a URL, a data directory and a signing key.</summary>
public static class StandaloneDefaults
{
    public const string DefaultUrl = "http://localhost:8080";
    public const string SigningKeyFile = "signing.key";

    public static WebApplicationBuilder AddStandaloneDefaults(this WebApplicationBuilder builder)
    {
        if (string.IsNullOrEmpty(builder.Configuration[WebHostDefaults.ServerUrlsKey]))
        {
            builder.WebHost.UseUrls(DefaultUrl);
        }

        var authKey = $"{AuthOptions.Section}:{nameof(AuthOptions.SigningKey)}";
        if (string.IsNullOrEmpty(builder.Configuration[authKey]))
        {
            var dataDir = builder.Configuration[$"{EmbeddedOptions.Section}:{nameof(EmbeddedOptions.DataDir)}"] ?? new EmbeddedOptions().DataDir;
            builder.Configuration.AddInMemoryCollection([new(authKey, LoadOrCreateKey(dataDir))]);
        }

        return builder;
    }

    /// <summary>The key generated on first run, kept beside the database so that tokens outlive a restart.</summary>
    private static string LoadOrCreateKey(string dataDir)
    {
        Directory.CreateDirectory(dataDir);
        var path = Path.Combine(dataDir, SigningKeyFile);
        if (File.Exists(path))
        {
            return File.ReadAllText(path).Trim();
        }

        var key = Convert.ToBase64String(RandomNumberGenerator.GetBytes(48));
        var temp = path + ".tmp";
        File.WriteAllText(temp, key);
        if (!OperatingSystem.IsWindows())
        {
            File.SetUnixFileMode(temp, UnixFileMode.UserRead | UnixFileMode.UserWrite);
        }

        File.Move(temp, path, overwrite: false);
        return key;
    }
}
