using System.Diagnostics;
using Messenger.Core.Domain;
using Messenger.Core.Telemetry;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Logging;

namespace Messenger.Embedded.Sqlite;

/// <summary>
/// The front of the <c>messages</c> table. A message is made durable by appending it to a log (<see cref="MessageLogFile"/>,
/// records written in order to a plain file: a group commit of N messages is one write and one fsync), where
/// inserting it into <c>messages</c> (kept in conversation order, with its client-id index) would write two B-tree
/// leaves per message, one per conversation touched, each to the WAL and again at the checkpoint. The log is moved
/// into <c>messages</c> in bulk (a merge), in key order, when it holds <see cref="DefaultMergeRows"/> rows, every
/// <see cref="DefaultMergeInterval"/> when it holds any, and before a change (reaction, edit, delete) is stored, as a
/// change folds its target in <c>messages</c>; a merge of many messages per conversation writes each leaf once for
/// all of them (docs/benchmarks.md). On opening, whatever a stopped process left in the log is merged first.
/// </summary>
/// <remarks>
/// The rows not merged yet are held here, in memory, per conversation (<see cref="Pending"/>): a conversation's rows
/// in the log all come after its rows in <c>messages</c>, so a read takes them first and then reads the table below
/// the first of them, and never sees less than was acknowledged, nor a row twice when a merge runs meanwhile. A merge
/// seals the log's file, commits the rows it held into <c>messages</c> and only then empties the file; a merge that
/// finds a row there already leaves it, so stopping in between loses nothing and duplicates nothing.
/// </remarks>
public sealed partial class SqliteMessageLog : IAsyncDisposable
{
    public const int DefaultMergeRows = 32_768;

    public static readonly TimeSpan DefaultMergeInterval = TimeSpan.FromSeconds(10);

    private readonly MessageLogFile file;
    private readonly SqliteWriter main;
    private readonly int mergeRows;
    private readonly ILogger logger;
    private readonly Timer timer;
    private readonly object gate = new();
    private readonly Dictionary<string, List<LoggedRow>> byConversation = new(StringComparer.Ordinal);
    private readonly Dictionary<(string Conversation, string Sender, string ClientMessageId), LoggedRow> byClientId = [];
    private Task? merging;
    private bool disposed;

    /// <param name="basePath">Where the log's files are (see <see cref="MessageLogFile"/>); what they held is merged already.</param>
    internal SqliteMessageLog(string basePath, SqliteWriter main, int mergeRows, TimeSpan mergeInterval, TimeSpan commitInterval, ILogger logger)
    {
        file = new MessageLogFile(basePath, commitInterval, Committed);
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
        await file.AppendAsync(message, cancellationToken);
        bool full;
        lock (gate)
        {
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

    /// <summary>
    /// Returns once every appended row of the conversation is in <c>messages</c> (before a change folds one of them):
    /// those rows alone are moved, so a change waits for its conversation, not for the whole log. Their records stay in
    /// the log's file until the next merge empties it; read again after a stop, they find their rows there and leave them.
    /// </summary>
    /// <remarks>Called by the conversation's owner, so no row of the conversation is appended meanwhile.</remarks>
    public async Task FlushAsync(string conversationId, CancellationToken cancellationToken)
    {
        List<LoggedRow> rows;
        lock (gate)
        {
            if (!byConversation.TryGetValue(conversationId, out var pending))
            {
                return;
            }

            rows = [.. pending];
        }

        await main.WriteAsync(c => SqliteMessageRows.InsertUnlessThere(c, rows.ConvertAll(r => r.Message)), cancellationToken);
        lock (gate)
        {
            // A merge running meanwhile may have moved (and dropped) some of them already.
            if (byConversation.TryGetValue(conversationId, out var pending))
            {
                Forget(conversationId, pending, rows[^1].Id);
            }
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
        await file.DisposeAsync();
    }

    /// <summary>
    /// Merges through <paramref name="connection"/> whatever a stopped process left in the log at
    /// <paramref name="basePath"/> (its files are emptied when the log is next opened). A seq written twice (the first
    /// write failed after reaching the disk, and the seq was given again) keeps its later record.
    /// </summary>
    internal static void Recover(SqliteConnection connection, string basePath)
    {
        var latest = new Dictionary<(string, long), Message>();
        foreach (var (_, message) in MessageLogFile.ReadAll(basePath))
        {
            latest[(message.ConversationId, message.Seq)] = message;
        }

        if (latest.Count == 0)
        {
            return;
        }

        connection.Execute("BEGIN");
        try
        {
            SqliteMessageRows.InsertUnlessThere(connection, [.. latest.Values.OrderBy(m => m.ConversationId, StringComparer.Ordinal).ThenBy(m => m.Seq)]);
            connection.Execute("COMMIT");
        }
        catch
        {
            connection.Execute("ROLLBACK");
            throw;
        }
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

        // The merge clears this under the gate when it ends, so it cannot end before it is recorded here.
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
        var (through, sealedFile) = await file.SealAsync();
        List<Message> rows;
        lock (gate)
        {
            // Every row the sealed file holds is here, taken by Committed before the seal (or merged before).
            rows = [.. byConversation.OrderBy(p => p.Key, StringComparer.Ordinal).SelectMany(p => p.Value).Where(r => r.Id <= through).Select(r => r.Message)];
        }

        try
        {
            if (rows.Count > 0)
            {
                var started = Stopwatch.GetTimestamp();
                await main.WriteAsync(c => SqliteMessageRows.InsertUnlessThere(c, rows), CancellationToken.None);
                MessengerTelemetry.MergeDuration.Record(Stopwatch.GetElapsedTime(started).TotalSeconds);
                MessengerTelemetry.MergeSize.Record(rows.Count);
                lock (gate)
                {
                    Forget(through);
                }
            }

            await file.EmptyAsync(sealedFile);
        }
        catch (Exception e)
        {
            MergeFailed(logger, e, through);
            throw;
        }
    }

    /// <summary>Takes the rows of a durable write of the log (on its writer's thread, before their appends complete).</summary>
    private void Committed(long firstId, IReadOnlyList<Message> messages)
    {
        lock (gate)
        {
            for (var i = 0; i < messages.Count; i++)
            {
                var message = messages[i];
                var pending = new LoggedRow(firstId + i, message);
                if (!byConversation.TryGetValue(message.ConversationId, out var rows))
                {
                    byConversation[message.ConversationId] = rows = [];
                }

                // In seq order: the conversation's owner appends one message after the other.
                rows.Add(pending);
                byClientId[(message.ConversationId, message.SenderId, message.ClientMessageId)] = pending;
            }
        }
    }

    /// <summary>Drops what is held for the rows up to <paramref name="through"/>, now in <c>messages</c>; under <see cref="gate"/>.</summary>
    private void Forget(long through)
    {
        foreach (var (conversationId, rows) in byConversation)
        {
            Forget(conversationId, rows, through);
        }
    }

    /// <summary>Drops what is held for the conversation's rows up to <paramref name="through"/>; under <see cref="gate"/>.</summary>
    private void Forget(string conversationId, List<LoggedRow> rows, long through)
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

    [LoggerMessage(Level = LogLevel.Error, Message = "Moving the message log up to record {Through} into the messages table failed; the rows stay in the log")]
    private static partial void MergeFailed(ILogger logger, Exception exception, long through);

    private sealed record LoggedRow(long Id, Message Message);
}
