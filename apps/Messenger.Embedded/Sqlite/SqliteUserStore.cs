using Messenger.Core.Domain;
using Messenger.Core.Ports;
using Microsoft.Data.Sqlite;

namespace Messenger.Embedded.Sqlite;

public sealed class SqliteUserStore(SqliteDatabase database) : IUserStore
{
    private const string Columns = "user_id, username, display_name, password_hash, created_at, last_seen";

    public Task<bool> TryCreateAsync(User user, CancellationToken cancellationToken) =>
        database.Writer.WriteAsync(
            c => c.Execute(
                "INSERT INTO users(user_id, username, display_name, password_hash, created_at) VALUES($id, $name, $display, $hash, $created) ON CONFLICT DO NOTHING",
                ("$id", user.UserId), ("$name", user.Username), ("$display", user.DisplayName), ("$hash", user.PasswordHash), ("$created", user.CreatedAt.ToMs())) == 1,
            cancellationToken);

    public Task<User?> FindByUsernameAsync(string username, CancellationToken cancellationToken) =>
        Task.FromResult(ReadOne($"SELECT {Columns} FROM users WHERE username = $v", username));

    public Task<User?> GetAsync(string userId, CancellationToken cancellationToken) =>
        Task.FromResult(ReadOne($"SELECT {Columns} FROM users WHERE user_id = $v", userId));

    public Task<bool> ReplacePasswordHashAsync(string userId, string currentHash, string newHash, CancellationToken cancellationToken) =>
        database.Writer.WriteAsync(
            c => c.Execute(
                "UPDATE users SET password_hash = $new WHERE user_id = $id AND password_hash = $current",
                ("$new", newHash), ("$id", userId), ("$current", currentHash)) == 1,
            cancellationToken);

    public Task SetLastSeenAsync(string userId, DateTimeOffset lastSeen, CancellationToken cancellationToken) =>
        database.Writer.WriteAsync(
            c => c.Execute("UPDATE users SET last_seen = $seen WHERE user_id = $id", ("$seen", lastSeen.ToMs()), ("$id", userId)),
            cancellationToken);

    public Task<IReadOnlyList<User>> GetManyAsync(IReadOnlyCollection<string> userIds, CancellationToken cancellationToken)
    {
        var found = new List<User>(userIds.Count);
        foreach (var id in userIds.Distinct(StringComparer.Ordinal))
        {
            if (ReadOne($"SELECT {Columns} FROM users WHERE user_id = $v", id) is { } user)
            {
                found.Add(user);
            }
        }

        return Task.FromResult<IReadOnlyList<User>>(found);
    }

    private User? ReadOne(string sql, string value)
    {
        using var connection = database.OpenRead();
        var command = connection.Command(sql, ("$v", value));
        using var reader = command.ExecuteReader();
        return reader.Read() ? Map(reader) : null;
    }

    private static User Map(SqliteDataReader r) =>
        new(r.GetString(0), r.GetString(1), r.GetString(2), r.GetString(3), r.GetInt64(4).ToTime(), r.IsDBNull(5) ? null : r.GetInt64(5).ToTime());
}
