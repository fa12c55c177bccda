namespace Messenger.Web.Tests.Infrastructure;

/// <summary>How the browser tests start the standalone host.</summary>
public static class WebServerOptions
{
    /// <summary>A fresh data directory and no fixed gateway instance id: a host started again gets a new one.</summary>
    public static StandaloneServerOptions Default { get; } = new() { InstanceId = null };
}
