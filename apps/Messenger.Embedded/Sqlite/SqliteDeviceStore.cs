using Messenger.Core.Domain;
using Messenger.Core.Ports;

namespace Messenger.Embedded.Sqlite;

public sealed class SqliteDeviceStore(SqliteDatabase database) : IDeviceStore
{
    public Task UpsertAsync(Device device, CancellationToken cancellationToken) =>
        database.Writer.WriteAsync(
            c => c.Execute(
                """
                INSERT INTO devices(token, user_id, platform, registered_at) VALUES($token, $user, $platform, $at)
                ON CONFLICT(token) DO UPDATE SET user_id = excluded.user_id, platform = excluded.platform, registered_at = excluded.registered_at
                """,
                ("$token", device.Token), ("$user", device.UserId), ("$platform", (int)device.Platform), ("$at", device.RegisteredAt.ToMs())),
            cancellationToken);

    public Task RemoveAsync(string token, string userId, CancellationToken cancellationToken) =>
        database.Writer.WriteAsync(
            c => c.Execute("DELETE FROM devices WHERE token = $token AND user_id = $user", ("$token", token), ("$user", userId)),
            cancellationToken);

    public Task PruneAsync(string token, CancellationToken cancellationToken) =>
        database.Writer.WriteAsync(c => c.Execute("DELETE FROM devices WHERE token = $token", ("$token", token)), cancellationToken);

    public Task<IReadOnlyList<Device>> ListAsync(string userId, CancellationToken cancellationToken)
    {
        using var connection = database.OpenRead();
        var command = connection.Command(
            "SELECT token, user_id, platform, registered_at FROM devices WHERE user_id = $user ORDER BY registered_at", ("$user", userId));
        using var reader = command.ExecuteReader();
        var devices = new List<Device>();
        while (reader.Read())
        {
            devices.Add(new Device(reader.GetString(0), reader.GetString(1), (DevicePlatform)reader.GetInt32(2), reader.GetInt64(3).ToTime()));
        }

        return Task.FromResult<IReadOnlyList<Device>>(devices);
    }
}
