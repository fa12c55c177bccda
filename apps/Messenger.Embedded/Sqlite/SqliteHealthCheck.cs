using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace Messenger.Embedded.Sqlite;

/// <summary>Readiness in one process: the database file answers a read (open, schema readable).</summary>
public sealed class SqliteHealthCheck(SqliteDatabase database) : IHealthCheck
{
    public const string Name = "sqlite";

    public Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        try
        {
            using var connection = database.OpenRead();
            connection.Execute("SELECT count(*) FROM sqlite_schema");
            return Task.FromResult(HealthCheckResult.Healthy());
        }
        catch (Exception e) when (e is SqliteException or InvalidOperationException or ObjectDisposedException or IOException)
        {
            return Task.FromResult(new HealthCheckResult(context.Registration.FailureStatus, "The database does not answer.", e));
        }
    }
}
