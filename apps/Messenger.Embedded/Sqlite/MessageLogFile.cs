using System.Diagnostics;
using System.Text.Json;
using Messenger.Core.Domain;
using Messenger.Core.Protocol;
using Messenger.Core.Telemetry;
using Microsoft.Win32.SafeHandles;

namespace Messenger.Embedded.Sqlite;

/// <summary>
/// The message log on disk: records appended to one of two files and made durable together (group commit: one
/// write and one fsync for every append queued while the last was in flight), on a thread of its own. The log is
/// merged by sealing the file being written (appends go to the other one from then on), moving what it holds into
/// the messages table, and emptying it; the two files swap roles at every merge.
/// </summary>
/// <remarks>
/// A record is its length, a CRC-32 of the rest, an id and the message as JSON (<see cref="LogRecords"/>). Ids grow
/// with the writes and are never given twice, so a record of a write that failed (it may have reached the disk, and
/// its seq is then given to the next message) is recognised on reading by the higher id of the one that replaced it.
/// The files are created once, with their directory synced, and then only written, synced and emptied.
/// </remarks>
internal sealed class MessageLogFile : IAsyncDisposable
{
    private readonly SafeFileHandle[] files;
    private readonly long[] lengths;
    private readonly Action<long, IReadOnlyList<Message>> committed;
    private readonly GroupCommitQueue<Item> queue;
    private int active;
    private long lastId;

    /// <summary>Opens the log's two files at <paramref name="basePath"/> (<c>.0</c> and <c>.1</c>) and empties them.</summary>
    /// <param name="basePath">Where the files are; merge what they hold before (<see cref="ReadAll"/>).</param>
    /// <param name="commitInterval">The pace of its writes and fsyncs under load (<see cref="GroupCommitQueue{T}"/>).</param>
    /// <param name="committed">
    /// Called on the writer's thread with the first id and the messages of each durable write, before their appends
    /// complete and before a later seal: whatever a seal leaves behind has been handed over.
    /// </param>
    public MessageLogFile(string basePath, TimeSpan commitInterval, Action<long, IReadOnlyList<Message>> committed)
    {
        this.committed = committed;
        var created = false;
        files = new SafeFileHandle[2];
        lengths = new long[2];
        for (var i = 0; i < files.Length; i++)
        {
            var path = PathOf(basePath, i);
            created |= !File.Exists(path);
            files[i] = File.OpenHandle(path, FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.Read);
            RandomAccess.SetLength(files[i], 0);
            RandomAccess.FlushToDisk(files[i]);
        }

        if (created)
        {
            DirectorySync.Flush(Path.GetDirectoryName(Path.GetFullPath(basePath))!);
        }

        queue = new GroupCommitQueue<Item>("Message log writer", Handle, commitInterval);
    }

    /// <summary>The two files of the log at <paramref name="basePath"/>.</summary>
    public static string PathOf(string basePath, int file) => $"{basePath}.{file}";

    /// <summary>Every intact record of the log's files at <paramref name="basePath"/>, in id order.</summary>
    public static IReadOnlyList<(long Id, Message Message)> ReadAll(string basePath)
    {
        var records = new List<(long Id, Message Message)>();
        for (var i = 0; i < 2; i++)
        {
            var path = PathOf(basePath, i);
            if (File.Exists(path))
            {
                records.AddRange(LogRecords.Read(File.ReadAllBytes(path)));
            }
        }

        records.Sort((a, b) => a.Id.CompareTo(b.Id));
        return records;
    }

    /// <summary>
    /// Appends <paramref name="message"/>; done once it is durable. <paramref name="cancellationToken"/> is looked at
    /// until the append is queued: from then on it is written, and the task ends with the write, not before (whoever
    /// gave the message its seq must not move on while the write may still land).
    /// </summary>
    public Task AppendAsync(Message message, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        var item = new Item(JsonSerializer.SerializeToUtf8Bytes(message, ProtocolJson.Default.Message), message);
        queue.Enqueue(item, this);
        return item.Done.Task;
    }

    /// <summary>
    /// Seals the file being written: later appends go to the other one. Returns the id of the last record written so
    /// far (every record up to it has been handed to <c>committed</c>) and the sealed file, to empty once merged.
    /// </summary>
    public async Task<(long Through, int File)> SealAsync()
    {
        var item = new Item(null, null);
        queue.Enqueue(item, this);
        await item.Done.Task;
        return (item.Through, item.File);
    }

    /// <summary>Empties a sealed file whose records are all merged.</summary>
    public Task EmptyAsync(int file)
    {
        var item = new Item(null, null) { File = file, Empty = true };
        queue.Enqueue(item, this);
        return item.Done.Task;
    }

    /// <summary>Takes no more appends, writes those queued, then closes the files.</summary>
    public async ValueTask DisposeAsync()
    {
        await queue.CompleteAsync();
        foreach (var file in files)
        {
            file.Dispose();
        }
    }

    /// <summary>One batch: each run of appends is one write and one fsync, and a seal or an emptying keeps its place.</summary>
    private void Handle(List<Item> batch)
    {
        var start = 0;
        for (var i = 0; i <= batch.Count; i++)
        {
            if (i < batch.Count && batch[i].Json is not null)
            {
                continue;
            }

            Write(batch, start, i - start);
            if (i < batch.Count)
            {
                Control(batch[i]);
            }

            start = i + 1;
        }
    }

    /// <summary>Writes the appends <c>batch[start..start+count]</c> with one write and one fsync.</summary>
    private void Write(List<Item> batch, int start, int count)
    {
        if (count == 0)
        {
            return;
        }

        var firstId = lastId + 1;

        // The ids are taken whether or not the write succeeds: a record that reached the disk is never mistaken for a
        // later one.
        lastId += count;
        var buffers = new List<ReadOnlyMemory<byte>>(count * 2);
        var messages = new Message[count];
        var size = 0L;
        for (var i = 0; i < count; i++)
        {
            var item = batch[start + i];
            var header = LogRecords.Header(firstId + i, item.Json!);
            buffers.Add(header);
            buffers.Add(item.Json);
            messages[i] = item.Message!;
            size += header.Length + item.Json!.Length;
        }

        try
        {
            // At the file's length as known here: a failed write's bytes (if any) are written over by the next one.
            var writing = Stopwatch.GetTimestamp();
            RandomAccess.Write(files[active], buffers, lengths[active]);
            RandomAccess.FlushToDisk(files[active]);
            MessengerTelemetry.CommitDuration.Record(Stopwatch.GetElapsedTime(writing).TotalSeconds, MessengerTelemetry.LogFile);
            MessengerTelemetry.CommitSize.Record(count, MessengerTelemetry.LogFile);
        }
        catch (Exception e)
        {
            for (var i = 0; i < count; i++)
            {
                batch[start + i].Done.TrySetException(e);
            }

            return;
        }

        lengths[active] += size;
        committed(firstId, messages);
        for (var i = 0; i < count; i++)
        {
            batch[start + i].Done.TrySetResult();
        }
    }

    /// <summary>A seal or an emptying, in its place among the appends.</summary>
    private void Control(Item item)
    {
        try
        {
            if (item.Empty)
            {
                RandomAccess.SetLength(files[item.File], 0);
                RandomAccess.FlushToDisk(files[item.File]);
                lengths[item.File] = 0;
            }
            else
            {
                item.Through = lastId;
                item.File = active;
                active = 1 - active;
            }

            item.Done.TrySetResult();
        }
        catch (Exception e)
        {
            item.Done.TrySetException(e);
        }
    }

    /// <summary>An append (with its JSON and message), or a seal or an emptying (without).</summary>
    private sealed class Item(byte[]? json, Message? message)
    {
        public byte[]? Json { get; } = json;

        public Message? Message { get; } = message;

        public TaskCompletionSource Done { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public long Through { get; set; }

        public int File { get; set; }

        public bool Empty { get; init; }
    }
}
