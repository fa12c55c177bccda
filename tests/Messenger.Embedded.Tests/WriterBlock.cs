using Messenger.Embedded.Sqlite;

namespace Messenger.Embedded.Tests;

internal static class WriterBlock
{
    /// <summary>
    /// Occupies the database's single writer with a write that waits for <paramref name="release"/>, so that writes
    /// queued meanwhile commit together in the next batch. Returns the blocking write's task.
    /// </summary>
    public static async Task<Task> HoldAsync(SqliteDatabase database, Task release)
    {
        var started = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var write = database.Writer.WriteAsync(_ =>
        {
            started.SetResult();
            return release.Wait(TimeSpan.FromSeconds(30));
        }, CancellationToken.None);
        await started.Task.WaitAsync(TimeSpan.FromSeconds(10));
        return write;
    }
}
