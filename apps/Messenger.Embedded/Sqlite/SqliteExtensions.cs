using System.Runtime.CompilerServices;
using Microsoft.Data.Sqlite;

namespace Messenger.Embedded.Sqlite;

internal static class SqliteExtensions
{
    /// <summary>Prepared commands per connection, by SQL text: a statement is compiled once per connection, not per call.</summary>
    private static readonly ConditionalWeakTable<SqliteConnection, Dictionary<string, SqliteCommand>> Prepared = [];

    /// <summary>
    /// The connection's command for <paramref name="sql"/> with these parameters bound. The command is cached and
    /// reused: do not dispose it, and do not run the same SQL again on this connection while its reader is open.
    /// </summary>
    public static SqliteCommand Command(this SqliteConnection connection, string sql, params (string Name, object? Value)[] parameters)
    {
        var cache = Prepared.GetOrCreateValue(connection);
        if (!cache.TryGetValue(sql, out var command) || command.Connection is null)
        {
            command = connection.CreateCommand();
            command.CommandText = sql;
            cache[sql] = command;
        }

        // The same SQL comes with the same parameters: their objects are kept and only the values change.
        var bound = command.Parameters;
        if (!SameNames(bound, parameters))
        {
            bound.Clear();
            foreach (var (name, _) in parameters)
            {
                bound.Add(new SqliteParameter { ParameterName = name });
            }
        }

        for (var i = 0; i < parameters.Length; i++)
        {
            bound[i].Value = parameters[i].Value ?? DBNull.Value;
        }

        return command;
    }

    public static int Execute(this SqliteConnection connection, string sql, params (string Name, object? Value)[] parameters) =>
        connection.Command(sql, parameters).ExecuteNonQuery();

    public static long ToMs(this DateTimeOffset time) => time.ToUnixTimeMilliseconds();

    public static DateTimeOffset ToTime(this long ms) => DateTimeOffset.FromUnixTimeMilliseconds(ms);

    public static string? StringOrNull(this SqliteDataReader reader, int ordinal) => reader.IsDBNull(ordinal) ? null : reader.GetString(ordinal);

    private static bool SameNames(SqliteParameterCollection bound, (string Name, object? Value)[] parameters)
    {
        if (bound.Count != parameters.Length)
        {
            return false;
        }

        for (var i = 0; i < parameters.Length; i++)
        {
            if (!string.Equals(bound[i].ParameterName, parameters[i].Name, StringComparison.Ordinal))
            {
                return false;
            }
        }

        return true;
    }
}
