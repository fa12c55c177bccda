using System.Diagnostics;
using Messenger.Core.Domain;
using Messenger.Core.Telemetry;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Logging;

namespace Messenger.Embedded.Sqlite;

/// <summary>
/// The front of the <c>messages</c> table. A message is made durable by appending it to a log in a file of its own,
/// written in order: a group commit of N messages then writes a few pages, where inserting them into
/// <c>messages</c> (kept in conversation order, with its client-id index) writes two B-tree leaves per message, one
/// per conversation touched. The log is moved into <c>messages</c> in bulk (a merge), in key order, when it holds
/// <see cref="DefaultMergeRows"/> rows, every <see cref="DefaultMergeInterval"/> when it holds any, and before a
/// change (reaction, edit, delete) is stored, as a change folds its target in <c>messages</c>; a merge of many
/// messages per conversation writes each leaf once for all of them (docs/benchmarks.md). On opening, whatever a
/// stopped process left in the log is merged first.
/// </summary>
/// <remarks>
/// The rows not merged yet are also held here, in memory, per conversation (<see cref="Pending"/>): a conversation's
/// rows in the log all come after its rows in <c>messages</c>, so a read takes them first and then reads the table
/// below the first of them, and never sees less than was acknowledged, nor a row twice when a merge runs meanwhile.
/// A merge commits into <c>messages</c> first and trims the log after; a merge that finds a row there already leaves
/// it, so stopping between the two loses nothing and duplicates nothing.
/// </remarks>
public sealed partial class SqliteMessageLog : IAsyncDisposable
{
    public const int DefaultMergeRows = 8192;

    public static readonly TimeSpan DefaultMergeInterval = TimeSpan.FromSeconds(2);

    internal const string Ddl =
        $"""
        PRAGMA journal_mode = WAL;
        CREATE TABLE IF NOT EXISTS message_log(id INTEGER PRIMARY KEY, {SqliteMessageRows.LogColumnsDdl});
        """;

    internal const string TrimSql = "DELETE FROM message_log WHERE id <= $through";

    private readonly SqliteWriter log;
    private readonly SqliteWriter main;
    private readonly int mergeRows;
    private readonly ILogger logger;
    private readonly Timer timer;
    private readonly object gate = new();
    private readonly Dictionary<string, List<LoggedRow>> byConversation = new(StringComparer.Ordinal);
    private readonly Dictionary<(string Conversation, string Sender, string ClientMessageId), LoggedRow> byClientId = [];
    private long highest;

    /// <summary>The id of the last row appended; only the log's writer thread moves it.</summary>
    private long lastId;
    private long mergedThrough;
    private Task? merging;
    private bool disposed;

    internal SqliteMessageLog(SqliteWriter log, SqliteWriter main, int mergeRows, TimeSpan mergeInterval, ILogger logger)
    {
        this.log = log;
        this.main = main;
        this.mergeRows = mergeRows;
        this.logger = logger;
        timer = new Timer(_ => MergeInBackground(), null, mergeInterval, mergeInterval);
    }

    /// <summary>Rows appended and not merged yet.</summary>
    public int Count
    {
        get
        {
            lock (gate)
            {
                return byClientId.Count;
            }
        }
    }

    /// <summary>Appends <paramref name="message"/>; done once it is durable in the log.</summary>
    public async Task AppendAsync(Message message, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();

        // Once queued, the append commits whether or not the caller still waits; what is held here must follow it.
        // Ids are given in the order of the writer's thread, so they grow with the commits (a write tried again after
        // its batch failed takes a new one); a process starts at 1 again, with the log merged and empty.
        var id = await log.WriteAsync(
            c =>
            {
                var next = lastId + 1;
                SqliteMessageRows.Append(c, next, message);
                return lastId = next;
            },
            CancellationToken.None);
        bool full;
        lock (gate)
        {
            // A merge may have taken the row already (it takes every committed row up to the highest id known).
            if (id > mergedThrough)
            {
                var pending = new LoggedRow(id, message);
                if (!byConversation.TryGetValue(message.ConversationId, out var rows))
                {
                    byConversation[message.ConversationId] = rows = [];
                }

                // In seq order: the conversation's owner appends one message after the other.
                rows.Add(pending);
                byClientId[(message.ConversationId, message.SenderId, message.ClientMessageId)] = pending;
                highest = Math.Max(highest, id);
            }

            full = byClientId.Count >= mergeRows;
        }

        if (full)
        {
            MergeInBackground();
        }
    }

    /// <summary>The conversation's messages in the log (not merged yet), in seq order; all come after those in the table.</summary>
    public IReadOnlyList<Message> Pending(string conversationId)
    {
        lock (gate)
        {
            return byConversation.TryGetValue(conversationId, out var rows) ? rows.ConvertAll(p => p.Message) : [];
        }
    }

    /// <summary>The message at <paramref name="seq"/> when it is in the log (not merged yet), else null.</summary>
    public Message? Find(string conversationId, long seq)
    {
        lock (gate)
        {
            return byConversation.TryGetValue(conversationId, out var rows) ? rows.Find(p => p.Message.Seq == seq)?.Message : null;
        }
    }

    /// <summary>The sender's message with that client message id when it is in the log (not merged yet), else null.</summary>
    public Message? Find(string conversationId, string senderId, string clientMessageId)
    {
        lock (gate)
        {
            return byClientId.TryGetValue((conversationId, senderId, clientMessageId), out var pending) ? pending.Message : null;
        }
    }

    /// <summary>Returns once every appended row of the conversation is in <c>messages</c> (before a change folds one of them).</summary>
    public async Task FlushAsync(string conversationId, CancellationToken cancellationToken)
    {
        while (true)
        {
            Task merge;
            lock (gate)
            {
                if (!byConversation.ContainsKey(conversationId))
                {
                    return;
                }

                merge = StartMerge();
            }

            await merge.WaitAsync(cancellationToken);
        }
    }

    /// <summary>Stops merging on a timer and merges what is left, so that a clean stop leaves the log empty.</summary>
    public async ValueTask DisposeAsync()
    {
        await timer.DisposeAsync();
        Task last;
        lock (gate)
        {
            disposed = true;
            last = merging ?? Task.CompletedTask;
        }

        await last.ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);

        // A failure is logged; the rows stay in the log and are merged when the database is next opened.
        await MergeAsync().ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
    }

    /// <summary>
    /// Merges every row of the log (<paramref name="logConnection"/>) through <paramref name="connection"/>, to which
    /// it is attached as <c>log</c>, then empties the log.
    /// </summary>
    internal static void Recover(SqliteConnection connection, SqliteConnection logConnection)
    {
        if (logConnection.Command("SELECT MAX(id) FROM message_log").ExecuteScalar() is not long through)
        {
            return;
        }

        // One statement, so one transaction of its own.
        connection.Execute(SqliteMessageRows.MergeSql, ("$through", through));
        logConnection.Execute(TrimSql, ("$through", through));
    }

    private void MergeInBackground()
    {
        lock (gate)
        {
            if (disposed || merging is not null || byClientId.Count == 0)
            {
                return;
            }

            // Failures are logged by the merge; the rows stay and the next merge takes them.
            StartMerge().ContinueWith(static t => _ = t.Exception, CancellationToken.None, TaskContinuationOptions.OnlyOnFaulted, TaskScheduler.Default);
        }
    }

    /// <summary>The merge under way, or a new one; under <see cref="gate"/>.</summary>
    private Task StartMerge() =>

        // The merge's first step takes the gate, so it always finds itself here.
        merging ??= Task.Run(RunMergeAsync);

    private async Task RunMergeAsync()
    {
        try
        {
            await MergeAsync();
        }
        finally
        {
            lock (gate)
            {
                merging = null;
            }
        }
    }

    private async Task MergeAsync()
    {
        long through;
        lock (gate)
        {
            through = highest;
            if (through <= mergedThrough)
            {
                return;
            }
        }

        try
        {
            var started = Stopwatch.GetTimestamp();
            var merged = await main.WriteAsync(c => c.Execute(SqliteMessageRows.MergeSql, ("$through", through)), CancellationToken.None);
            MessengerTelemetry.MergeDuration.Record(Stopwatch.GetElapsedTime(started).TotalSeconds);
            MessengerTelemetry.MergeSize.Record(merged);
            lock (gate)
            {
                mergedThrough = through;
                Forget(through);
            }

            await log.WriteAsync(c => c.Execute(TrimSql, ("$through", through)), CancellationToken.None);
        }
        catch (Exception e)
        {
            MergeFailed(logger, e, through);
            throw;
        }
    }

    /// <summary>Drops what is held for the rows up to <paramref name="through"/>, now in <c>messages</c>; under <see cref="gate"/>.</summary>
    private void Forget(long through)
    {
        foreach (var (conversationId, rows) in byConversation)
        {
            foreach (var pending in rows)
            {
                if (pending.Id <= through)
                {
                    byClientId.Remove((conversationId, pending.Message.SenderId, pending.Message.ClientMessageId));
                }
            }

            rows.RemoveAll(p => p.Id <= through);
            if (rows.Count == 0)
            {
                byConversation.Remove(conversationId);
            }
        }
    }

    [LoggerMessage(Level = LogLevel.Error, Message = "Moving the message log up to row {Through} into the messages table failed; the rows stay in the log")]
    private static partial void MergeFailed(ILogger logger, Exception exception, long through);

    private sealed record LoggedRow(long Id, Message Message);
}
