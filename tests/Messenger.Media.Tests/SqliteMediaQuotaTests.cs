using Messenger.Core.Domain;
using Messenger.Core.Ports;
using Messenger.Embedded.Sqlite;

namespace Messenger.Media.Tests;

/// <summary>Storage usage per owner in the embedded store (<see cref="MediaQuotaContract"/>) and the migration of a database made before quotas.</summary>
public sealed class SqliteMediaQuotaTests : MediaQuotaContract, IAsyncLifetime
{
    private readonly string dir = TempDirectory.Create();
    private SqliteDatabase database = null!;
    private SqliteMediaStore store = null!;

    protected override IMediaStore Store => store;

    public Task InitializeAsync()
    {
        database = new SqliteDatabase(Path.Combine(dir, "messenger.db"));
        store = new SqliteMediaStore(database);
        return Task.CompletedTask;
    }

    public async Task DisposeAsync()
    {
        await database.DisposeAsync();
        TempDirectory.TryDelete(dir);
    }

    [Fact]
    public async Task A_database_from_before_quotas_counts_its_ready_media_for_their_owners()
    {
        await database.DisposeAsync();
        var path = Path.Combine(dir, "old.db");
        await using (var connection = new Microsoft.Data.Sqlite.SqliteConnection($"Data Source={path};Pooling=False"))
        {
            await connection.OpenAsync();
            await using var command = connection.CreateCommand();
            command.CommandText = $"""
                CREATE TABLE media(media_id TEXT PRIMARY KEY, owner_id TEXT NOT NULL, status INTEGER NOT NULL, content_type TEXT NOT NULL,
                    size INTEGER NOT NULL, sha256 TEXT, width INTEGER, height INTEGER, thumbnail INTEGER NOT NULL, thumbnail_content_type TEXT,
                    created_at INTEGER NOT NULL, pending_until INTEGER, thumbnail_attempts INTEGER NOT NULL DEFAULT 0) WITHOUT ROWID;
                INSERT INTO media VALUES('md_1', 'u_a', {(int)MediaStatus.Ready}, 'image/png', 300, 'ab', 1, 1, 2, NULL, 0, NULL, 0);
                INSERT INTO media VALUES('md_2', 'u_a', {(int)MediaStatus.Ready}, 'image/png', 200, 'ab', 1, 1, 2, NULL, 0, NULL, 0);
                INSERT INTO media VALUES('md_3', 'u_a', {(int)MediaStatus.Uploading}, 'image/png', 0, NULL, NULL, NULL, 0, NULL, 0, 5, 0);
                """;
            await command.ExecuteNonQueryAsync();
        }

        database = new SqliteDatabase(path);
        store = new SqliteMediaStore(database);

        Assert.Equal(500, await store.GetUsageAsync("u_a", default));
        await store.DeleteAsync("md_1", default);
        Assert.Equal(200, await store.GetUsageAsync("u_a", default));
    }
}
