using System.Diagnostics;
using System.Text.RegularExpressions;
using Azure.Storage.Blobs;
using Azure.Storage.Blobs.Models;

namespace Messenger.Media.Tests.Infrastructure;

/// <summary>
/// A real Azurite blob service on 127.0.0.1 (port chosen by the OS), with its data in a temporary folder, started
/// once for the tests that share it and stopped after them. Azurite comes from <c>npm ci</c> in
/// <c>tests/Messenger.Media.Tests/azurite</c> (or the executable named by <c>AZURITE_BLOB</c>).
/// </summary>
public sealed partial class AzuriteFixture : IAsyncLifetime
{
    /// <summary>Azurite's fixed, public development account (documented with the emulator; not a secret).</summary>
    public const string AccountName = "devstoreaccount1";
    public const string AccountKey = "Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1OUzFT50uSRZ6IFsuFq2UVErCz4I6tq/K1SZFPTOtr/KBHBeksoGMGw==";

    private static readonly TimeSpan StartTimeout = TimeSpan.FromSeconds(60);
    private readonly TaskCompletionSource<int> listening = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly List<string> output = [];
    private Process? process;
    private string? location;

    public int Port { get; private set; }

    public string ConnectionString =>
        $"DefaultEndpointsProtocol=http;AccountName={AccountName};AccountKey={AccountKey};BlobEndpoint=http://127.0.0.1:{Port}/{AccountName};";

    public BlobServiceClient CreateServiceClient() => new(ConnectionString);

    /// <summary>Every blob in the container, those with only uncommitted blocks included; none if the container is not there yet.</summary>
    public async Task<IReadOnlyList<string>> BlobNamesAsync(string container)
    {
        var client = CreateServiceClient().GetBlobContainerClient(container);
        if (!await client.ExistsAsync())
        {
            return [];
        }

        var names = new List<string>();
        await foreach (var blob in client.GetBlobsAsync(BlobTraits.None, BlobStates.Uncommitted, prefix: null, cancellationToken: default))
        {
            names.Add(blob.Name);
        }

        return names;
    }

    public async Task InitializeAsync()
    {
        location = TempDirectory.Create();
        var start = new ProcessStartInfo(FindExecutable())
        {
            ArgumentList = { "--blobHost", "127.0.0.1", "--blobPort", "0", "--skipApiVersionCheck", "--location", location, "--silent" },
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        process = Process.Start(start) ?? throw new InvalidOperationException("Azurite did not start.");
        process.OutputDataReceived += (_, e) => Seen(e.Data);
        process.ErrorDataReceived += (_, e) => Seen(e.Data);
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        process.EnableRaisingEvents = true;
        process.Exited += (_, _) => listening.TrySetException(new InvalidOperationException($"Azurite exited:\n{string.Join('\n', output)}"));
        Port = await listening.Task.WaitAsync(StartTimeout);
    }

    public async Task DisposeAsync()
    {
        if (process is not null)
        {
            if (!process.HasExited)
            {
                process.Kill(entireProcessTree: true);
                await process.WaitForExitAsync();
            }

            process.Dispose();
        }

        if (location is not null)
        {
            TempDirectory.TryDelete(location);
        }
    }

    private void Seen(string? line)
    {
        if (line is null)
        {
            return;
        }

        lock (output)
        {
            output.Add(line);
        }

        if (ListeningLine().Match(line) is { Success: true } match)
        {
            listening.TrySetResult(int.Parse(match.Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture));
        }
    }

    private static string FindExecutable()
    {
        if (Environment.GetEnvironmentVariable("AZURITE_BLOB") is { Length: > 0 } configured)
        {
            return configured;
        }

        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            var candidate = Path.Combine(dir.FullName, "tests", "Messenger.Media.Tests", "azurite", "node_modules", ".bin", "azurite-blob");
            if (File.Exists(candidate))
            {
                return candidate;
            }
        }

        throw new FileNotFoundException(
            "Azurite is not installed: run `npm ci --prefix tests/Messenger.Media.Tests/azurite` (as .ci/install does) or set AZURITE_BLOB.");
    }

    [GeneratedRegex(@"successfully listens on https?://[^:]+:(\d+)")]
    private static partial Regex ListeningLine();
}
