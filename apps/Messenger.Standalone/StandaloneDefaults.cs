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

        // A leftover temporary file (a crash, or one planted to be read) is removed, not reused: the key goes only
        // into a new file that is created private (mode 600), never into one that is made private after the write.
        File.Delete(temp);
        var create = new FileStreamOptions { Mode = FileMode.CreateNew, Access = FileAccess.Write, Share = FileShare.None };
        if (!OperatingSystem.IsWindows())
        {
            create.UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite;
        }

        using (var writer = new StreamWriter(temp, create))
        {
            writer.Write(key);
        }

        File.Move(temp, path, overwrite: false);
        return key;
    }
}
