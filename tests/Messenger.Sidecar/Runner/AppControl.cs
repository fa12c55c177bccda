namespace Messenger.Sidecar.Runner;

/// <summary>The apps of a run as the admin endpoint sees them: found by instance name, started again within
/// <see cref="StartTimeout"/> (the run's ready timeout).</summary>
public sealed record AppControl(IReadOnlyList<AppInstance> Apps, TimeSpan StartTimeout)
{
    public AppInstance? Find(string instance) => Apps.FirstOrDefault(a => a.Name == instance);
}
