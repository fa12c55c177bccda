using Messenger.Core.Ports;
using Messenger.Embedded.Presence;
using Microsoft.Extensions.Time.Testing;

namespace Messenger.Embedded.Tests;

/// <summary>The in-process presence directory against the contract every presence directory keeps.</summary>
public sealed class InProcessPresenceDirectoryTests : PresenceDirectoryContract
{
    private readonly FakeTimeProvider time = new(Stores.Start);

    public InProcessPresenceDirectoryTests() => Presence = new InProcessPresenceDirectory(time, Lease);

    protected override IPresenceDirectory Presence { get; }

    protected override DateTimeOffset Now => time.GetUtcNow();

    protected override void Advance(TimeSpan time) => this.time.Advance(time);
}
