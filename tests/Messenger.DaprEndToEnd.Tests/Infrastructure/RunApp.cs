namespace Messenger.DaprEndToEnd.Tests.Infrastructure;

/// <summary>One app process of the run as the runner's <c>GET /apps</c> describes it.</summary>
public sealed record RunApp(string Instance, string AppId, string Url, int? Pid, bool Running, int? ExitCode, int Starts);
