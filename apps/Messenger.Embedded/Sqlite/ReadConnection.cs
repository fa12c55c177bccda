using Microsoft.Data.Sqlite;

namespace Messenger.Embedded.Sqlite;

/// <summary>A read connection on loan from the database's pool; disposing it gives it back (open, statements kept).</summary>
public sealed class ReadConnection : IDisposable
{
    private readonly Action<SqliteConnection> giveBack;
    private SqliteConnection? connection;

    internal ReadConnection(SqliteConnection connection, Action<SqliteConnection> giveBack)
    {
        this.connection = connection;
        this.giveBack = giveBack;
    }

    private SqliteConnection Connection => connection ?? throw new ObjectDisposedException(nameof(ReadConnection));

    /// <inheritdoc cref="SqliteExtensions.Command"/>
    public SqliteCommand Command(string sql, params (string Name, object? Value)[] parameters) => Connection.Command(sql, parameters);

    /// <summary>A fresh command of one's own (not cached): dispose it.</summary>
    public SqliteCommand CreateCommand() => Connection.CreateCommand();

    public int Execute(string sql, params (string Name, object? Value)[] parameters) => Connection.Execute(sql, parameters);

    public void Dispose()
    {
        if (Interlocked.Exchange(ref connection, null) is { } returned)
        {
            giveBack(returned);
        }
    }
}
