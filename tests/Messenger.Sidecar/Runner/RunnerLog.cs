using Microsoft.Extensions.Logging;

namespace Messenger.Sidecar.Runner;

internal static partial class RunnerLog
{
    [LoggerMessage(Level = LogLevel.Information, Message = "sidecar {Instance}: http {Http} grpc {Grpc}, app port {AppPort}")]
    public static partial void SidecarStarted(ILogger logger, string instance, Uri http, Uri grpc, int? appPort);

    [LoggerMessage(Level = LogLevel.Error, Message = "app {Instance} (pid {Pid}) exited with code {Code}")]
    public static partial void AppExited(ILogger logger, string instance, int pid, int code);

    [LoggerMessage(Level = LogLevel.Error, Message = "not ready within {Timeout}: {Waiting}")]
    public static partial void NotReady(ILogger logger, TimeSpan timeout, string waiting);

    [LoggerMessage(Level = LogLevel.Information, Message = "stopping {Count} app(s)")]
    public static partial void Stopping(ILogger logger, int count);
}
