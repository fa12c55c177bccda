using Messenger.Core.Domain;
using Messenger.Core.Services;
using Messenger.Embedded.Sqlite;
using Microsoft.Data.Sqlite;

namespace Messenger.Embedded.Tests;

public sealed class SqliteMessageLogTests : IAsyncLifetime
{
    private static readonly CancellationToken None = CancellationToken.None;
    private readonly TempDirectory directory = new();
    private SqliteDatabase database = null!;

    private string DatabasePath => Path.Combine(directory.Path, "messenger.db");

    private string LogPath => Path.Combine(directory.Path, "messenger.log");

    private int RecordsInLog => MessageLogFile.ReadAll(LogPath).Count;

    public Task InitializeAsync()
    {
        database = OpenDatabase();
        return Task.CompletedTask;
    }

    public async Task DisposeAsync()
    {
        await database.DisposeAsync();
        directory.Dispose();
    }

    [Fact]
    public async Task An_appended_message_is_read_and_found_while_in_the_log_and_after_it_is_merged()
    {
        var stores = new Stores(database);
        var state = await stores.CreateAsync("c_d", ConversationType.Direct, "u_a", ["u_a", "u_b"]);
        var (_, message) = await stores.AppendAsync(state, "u_a");

        Assert.Equal(1, database.Log.Count);
        Assert.Equal(0, CountRows(DatabasePath, "messages"));
        Assert.Equal([message], await stores.Messages.GetMessagesAsync("c_d", HistoryQuery.Create(null, null, null), None));
        Assert.Equal(message, await stores.States.FindByClientMessageIdAsync("c_d", "u_a", message.ClientMessageId, None));
        Assert.Equal(message, await stores.States.FindBySeqAsync("c_d", 1, None));

        await database.Log.FlushAsync("c_d", None);

        Assert.Equal(0, database.Log.Count);
        Assert.Equal(1, CountRows(DatabasePath, "messages"));
        Assert.Equal([message], await stores.Messages.GetMessagesAsync("c_d", HistoryQuery.Create(null, null, null), None));
        Assert.Equal(message, await stores.States.FindByClientMessageIdAsync("c_d", "u_a", message.ClientMessageId, None));
        Assert.Equal(message, await stores.States.FindBySeqAsync("c_d", 1, None));
    }

    [Fact]
    public async Task Reads_of_a_conversation_half_in_the_table_and_half_in_the_log_see_it_whole_in_order()
    {
        var stores = new Stores(database);
        var state = await stores.CreateAsync("c_d", ConversationType.Direct, "u_a", ["u_a", "u_b"]);
        var messages = new List<Message>();
        for (var i = 0; i < 5; i++)
        {
            (state, var message) = await stores.AppendAsync(state, "u_a");
            messages.Add(message);
            if (i == 2)
            {
                await database.Log.FlushAsync("c_d", None);
            }
        }

        state = await stores.SetCursorAsync(state, "u_b", new Cursor(1, 1));

        Assert.Equal(3, CountRows(DatabasePath, "messages"));
        Assert.Equal(2, database.Log.Count);
        Assert.Equal(messages[3..5], await Page(null, null, 2));
        Assert.Equal(messages[1..5], await Page(null, null, 4));
        Assert.Equal(messages[2..4], await Page(2, null, 2));
        Assert.Equal(messages[3..5], await Page(3, null, 10));
        Assert.Equal(messages[1..4], await Page(null, 5, 3));
        Assert.Equal(messages[0..2], await Page(null, 3, 10));
        Assert.Equal(messages[2..4], await stores.Messages.GetRangeAsync("c_d", 3, 4, None));
        var summary = await stores.Messages.GetSummaryAsync("c_d", "u_b", None);
        Assert.Equal(messages[4], summary!.LastMessage);
        Assert.Equal(4, summary.UnreadCount);
        var loaded = await new SqliteConversationStateStore(database).LoadAsync("c_d", None);
        Assert.Equal(5, loaded!.LastSeq);
        Assert.Equal(messages[4].SentAt, loaded.LastActivityAt);

        Task<IReadOnlyList<Message>> Page(long? after, long? before, int limit) =>
            stores.Messages.GetMessagesAsync("c_d", HistoryQuery.Create(after, before, limit), None);
    }

    [Fact]
    public async Task Flushing_a_conversation_moves_its_rows_alone_and_leaves_the_others_in_the_log()
    {
        var stores = new Stores(database);
        var one = await stores.CreateAsync("c_1", ConversationType.Direct, "u_a", ["u_a", "u_b"]);
        var two = await stores.CreateAsync("c_2", ConversationType.Direct, "u_a", ["u_a", "u_c"]);
        one = await stores.AppendManyAsync(one, "u_a", 3);
        await stores.AppendManyAsync(two, "u_c", 2);

        await database.Log.FlushAsync("c_1", None);

        Assert.Equal(3, CountRows(DatabasePath, "messages"));
        Assert.Equal(2, database.Log.Count);
        Assert.Empty(database.Log.Pending("c_1"));
        Assert.Equal(2, database.Log.Pending("c_2").Count);
        Assert.Equal([1L, 2, 3], (await stores.Messages.GetMessagesAsync("c_1", HistoryQuery.Create(null, null, null), None)).Select(m => m.Seq));
    }

    [Fact]
    public async Task A_full_log_is_merged_into_the_messages_table_and_emptied()
    {
        await database.DisposeAsync();
        database = new SqliteDatabase(DatabasePath, mergeRows: 4, mergeInterval: Timeout.InfiniteTimeSpan);
        var stores = new Stores(database);
        var state = await stores.CreateAsync("c_g", ConversationType.Group, "u_a", ["u_a", "u_b"]);

        state = await stores.AppendManyAsync(state, "u_a", 4);

        await WaitUntilAsync(() => database.Log.Count == 0 && RecordsInLog == 0);
        Assert.Equal(4, CountRows(DatabasePath, "messages"));
        var reloaded = await new Stores(database).States.LoadAsync("c_g", None);
        Assert.Equal(state.LastSeq, reloaded!.LastSeq);
    }

    [Fact]
    public async Task A_clean_stop_leaves_the_log_empty()
    {
        var stores = new Stores(database);
        var state = await stores.CreateAsync("c_d", ConversationType.Direct, "u_a", ["u_a", "u_b"]);
        await stores.AppendManyAsync(state, "u_b", 3);

        await database.DisposeAsync();

        Assert.Equal(0, RecordsInLog);
        Assert.Equal(3, CountRows(DatabasePath, "messages"));
        database = OpenDatabase();
    }

    [Fact]
    public async Task Rows_left_in_the_log_by_a_stopped_process_are_merged_on_opening_and_a_row_merged_already_is_kept_as_it_is()
    {
        var stores = new Stores(database);
        var state = await stores.CreateAsync("c_d", ConversationType.Direct, "u_a", ["u_a", "u_b"]);
        (state, var first) = await stores.AppendAsync(state, "u_a");
        await database.Log.FlushAsync("c_d", None);
        await database.DisposeAsync();

        // As if the process stopped after merging the first message (not emptying the log) and after appending the second.
        var edited = first with { Text = "edited in the table" };
        var second = new Message("m_2", "c_d", 2, "u_b", "k2", "second", null, Stores.Start.AddMinutes(1));
        Execute(DatabasePath, "UPDATE messages SET text = 'edited in the table' WHERE seq = 1");
        await WriteLogAsync(first, second);

        database = OpenDatabase();
        var after = new Stores(database);

        Assert.Equal(0, RecordsInLog);
        Assert.Equal([edited, second], await after.Messages.GetMessagesAsync("c_d", HistoryQuery.Create(null, null, null), None));
        Assert.Equal(2, (await after.States.LoadAsync("c_d", None))!.LastSeq);
    }

    [Fact]
    public async Task On_opening_a_log_cut_short_is_read_up_to_its_last_whole_record_and_a_seq_written_twice_keeps_its_later_record()
    {
        var stores = new Stores(database);
        await stores.CreateAsync("c_d", ConversationType.Direct, "u_a", ["u_a", "u_b"]);
        await database.DisposeAsync();

        // The first record's write failed after reaching the disk, so its seq was given again; the last write was cut short.
        var failed = new Message("m_1", "c_d", 1, "u_a", "k1", "failed", null, Stores.Start);
        var replaced = new Message("m_2", "c_d", 1, "u_b", "k2", "stored", null, Stores.Start.AddSeconds(1));
        var second = new Message("m_3", "c_d", 2, "u_a", "k3", "second", null, Stores.Start.AddSeconds(2));
        await WriteLogAsync(failed, replaced, second);
        var file = MessageLogFile.PathOf(LogPath, 0);
        File.WriteAllBytes(file, [.. File.ReadAllBytes(file), .. LogRecordsHeaderOfAWriteCutShort()]);

        database = OpenDatabase();
        var after = new Stores(database);

        Assert.Equal([replaced, second], await after.Messages.GetMessagesAsync("c_d", HistoryQuery.Create(null, null, null), None));
        Assert.Null(await after.States.FindByClientMessageIdAsync("c_d", "u_a", "k1", None));
        Assert.Equal(0, RecordsInLog);
    }

    [Fact]
    public async Task A_log_of_the_release_before_is_merged_on_opening_and_removed()
    {
        var stores = new Stores(database);
        await stores.CreateAsync("c_d", ConversationType.Direct, "u_a", ["u_a", "u_b"]);
        await database.DisposeAsync();
        var legacy = Path.Combine(directory.Path, "messenger.log.db");
        Execute(
            legacy,
            """
            CREATE TABLE message_log(id INTEGER PRIMARY KEY, message_id TEXT NOT NULL, conversation_id TEXT NOT NULL, seq INTEGER NOT NULL,
                sender_id TEXT NOT NULL, client_message_id TEXT NOT NULL, text TEXT, media TEXT, sent_at INTEGER NOT NULL, kind INTEGER NOT NULL,
                target_seq INTEGER, emoji TEXT, reply_to INTEGER, reactions TEXT, edited_at INTEGER, deleted INTEGER NOT NULL);
            INSERT INTO message_log VALUES(1, 'm_1', 'c_d', 1, 'u_a', 'k1', 'left behind', NULL, 1000, 0, NULL, NULL, NULL, NULL, NULL, 0);
            """);
        SqliteConnection.ClearAllPools();

        database = OpenDatabase();
        var after = new Stores(database);

        var message = Assert.Single(await after.Messages.GetMessagesAsync("c_d", HistoryQuery.Create(null, null, null), None));
        Assert.Equal(("m_1", 1L, "left behind"), (message.MessageId, message.Seq, message.Text));
        Assert.False(File.Exists(legacy));
    }

    [Fact]
    public async Task A_retried_send_in_the_log_is_found_and_a_seq_taken_in_the_log_is_refused()
    {
        var stores = new Stores(database);
        var state = await stores.CreateAsync("c_d", ConversationType.Direct, "u_a", ["u_a", "u_b"]);
        var (next, first) = await stores.AppendAsync(state, "u_a");

        await Assert.ThrowsAsync<InvalidOperationException>(
            () => stores.States.SaveAppendedAsync(next, first with { MessageId = "m_other", ClientMessageId = "other" }, None));

        Assert.Null(await stores.States.FindByClientMessageIdAsync("c_d", "u_a", "other", None));
        Assert.Equal([first], await stores.Messages.GetMessagesAsync("c_d", HistoryQuery.Create(null, null, null), None));
    }

    [Fact]
    public async Task A_retry_is_recognised_after_its_message_is_merged_and_after_the_conversation_outgrows_its_client_id_filter()
    {
        var stores = new Stores(database);
        await stores.CreateAsync("c_g", ConversationType.Group, "u_a", ["u_a", "u_b"]);
        var engine = new ConversationEngine(stores.States, TimeProvider.System, new ChatOptions());
        var first = await engine.AppendAsync("c_g", new MessageDraft("u_a", "k0", "first", null), None);
        await database.Log.FlushAsync("c_g", None);

        var retried = await engine.AppendAsync("c_g", new MessageDraft("u_a", "k0", "first", null), None);
        Assert.True(retried.Duplicate);
        Assert.Equal(first.Message, retried.Message);

        // Past the smallest filter's capacity (256 ids), some in the table and some in the log.
        for (var i = 1; i < 300; i++)
        {
            await engine.AppendAsync("c_g", new MessageDraft(i % 2 == 0 ? "u_a" : "u_b", $"k{i}", $"text {i}", null), None);
            if (i == 200)
            {
                await database.Log.FlushAsync("c_g", None);
            }
        }

        foreach (var i in new[] { 0, 150, 299 })
        {
            var again = await engine.AppendAsync("c_g", new MessageDraft(i % 2 == 0 ? "u_a" : "u_b", $"k{i}", $"text {i}", null), None);
            Assert.True(again.Duplicate);
            Assert.Equal(i + 1, again.Message.Seq);
        }

        var fresh = await engine.AppendAsync("c_g", new MessageDraft("u_a", "k300", "new", null), None);
        Assert.False(fresh.Duplicate);
        Assert.Equal(301, fresh.Message.Seq);
    }

    /// <summary>Merged only when full (a million rows) or flushed: what the log holds stays there for the test.</summary>
    private SqliteDatabase OpenDatabase() => new(DatabasePath, mergeRows: 1_000_000, mergeInterval: Timeout.InfiniteTimeSpan);

    private static async Task WaitUntilAsync(Func<bool> condition)
    {
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(10);
        while (!condition())
        {
            Assert.True(DateTime.UtcNow < deadline, "The log was not merged within 10 s.");
            await Task.Delay(20);
        }
    }

    /// <summary>Writes <paramref name="messages"/> to the log's files as a process would, and stops without merging them.</summary>
    private async Task WriteLogAsync(params Message[] messages)
    {
        await using var log = new MessageLogFile(LogPath, SqliteDatabase.DefaultCommitInterval, (_, _) => { });
        foreach (var message in messages)
        {
            await log.AppendAsync(message, None);
        }
    }

    /// <summary>The first bytes of a record whose write stopped after its header.</summary>
    private static byte[] LogRecordsHeaderOfAWriteCutShort() => LogRecords.Header(99, "{\"messageId\":\"m_9\"}"u8.ToArray());

    private static SqliteConnection Open(string path)
    {
        var connection = new SqliteConnection(new SqliteConnectionStringBuilder { DataSource = path, Pooling = false }.ToString());
        connection.Open();
        return connection;
    }

    private static long CountRows(string path, string table)
    {
        using var connection = Open(path);
        using var command = connection.CreateCommand();
        command.CommandText = $"SELECT COUNT(*) FROM {table}";
        return (long)command.ExecuteScalar()!;
    }

    private static void Execute(string path, string sql)
    {
        using var connection = Open(path);
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        command.ExecuteNonQuery();
    }
}
