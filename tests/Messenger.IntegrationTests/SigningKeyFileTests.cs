using Messenger.Standalone;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.Configuration;

namespace Messenger.IntegrationTests;

/// <summary>The signing key generated on first run is never in a file that anyone but the owner can read.</summary>
public sealed class SigningKeyFileTests
{
    private const string SigningKeySetting = "Messenger:Auth:SigningKey";

    [Fact]
    public void The_generated_key_file_has_mode_600_and_holds_the_key_the_host_uses()
    {
        if (OperatingSystem.IsWindows())
        {
            return;
        }

        using var data = new TempDirectory();

        var key = GenerateKey(data.Path);

        var path = Path.Combine(data.Path, StandaloneDefaults.SigningKeyFile);
        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(path));
        Assert.Equal(key, File.ReadAllText(path).Trim());
        Assert.Equal(48, Convert.FromBase64String(key).Length);
        Assert.False(File.Exists(path + ".tmp"));
    }

    /// <summary>
    /// A reader that opened the temporary file before the key was written (a leftover of a crash, or a file someone
    /// planted) must not see the key: the key goes only into a file created with mode 600, never into one that was
    /// readable by others while it was written and made private afterwards.
    /// </summary>
    [Fact]
    public void A_reader_holding_a_stale_temporary_file_never_sees_the_key()
    {
        if (OperatingSystem.IsWindows())
        {
            return;
        }

        using var data = new TempDirectory();
        var temp = Path.Combine(data.Path, StandaloneDefaults.SigningKeyFile + ".tmp");
        File.WriteAllText(temp, string.Empty);
        File.SetUnixFileMode(temp, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.GroupRead | UnixFileMode.OtherRead);
        using var spy = new FileStream(temp, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete);

        var key = GenerateKey(data.Path);

        using var seen = new StreamReader(spy);
        Assert.DoesNotContain(key, seen.ReadToEnd(), StringComparison.Ordinal);
        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(Path.Combine(data.Path, StandaloneDefaults.SigningKeyFile)));
    }

    [Fact]
    public void A_second_start_reads_the_same_key()
    {
        using var data = new TempDirectory();

        Assert.Equal(GenerateKey(data.Path), GenerateKey(data.Path));
    }

    private static string GenerateKey(string dataDir)
    {
        var builder = WebApplication.CreateBuilder(["--Messenger:DataDir", dataDir, "--" + SigningKeySetting, string.Empty]);
        builder.AddStandaloneDefaults();
        return builder.Configuration[SigningKeySetting] ?? throw new InvalidOperationException("No signing key was set.");
    }
}
