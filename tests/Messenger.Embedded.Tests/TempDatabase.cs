using Messenger.Embedded.Sqlite;

namespace Messenger.Embedded.Tests;

/// <summary>A SQLite database in a directory of its own under the temp directory, removed on dispose.</summary>
internal sealed class TempDatabase : IAsyncLifetime
{
    private readonly TempDirectory directory = new();

    public string Directory => directory.Path;

    public string Path => System.IO.Path.Combine(Directory, "messenger.db");

    public SqliteDatabase Database { get; private set; } = null!;

    public Task InitializeAsync()
    {
        Database = new SqliteDatabase(Path);
        return Task.CompletedTask;
    }

    /// <summary>Closes the database and opens a new one on the same file, as a restarted process would.</summary>
    public async Task<SqliteDatabase> ReopenAsync()
    {
        await Database.DisposeAsync();
        Database = new SqliteDatabase(Path);
        return Database;
    }

    public async Task DisposeAsync()
    {
        await Database.DisposeAsync();
        directory.Dispose();
    }
}
