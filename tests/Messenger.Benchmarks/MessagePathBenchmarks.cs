using System.Collections.Immutable;
using System.Text;
using System.Text.Json;
using BenchmarkDotNet.Attributes;
using Messenger.Core;
using Messenger.Core.Domain;
using Messenger.Core.Ports;
using Messenger.Core.Protocol;
using Messenger.Core.Services;
using Messenger.Embedded;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace Messenger.Benchmarks;

/// <summary>
/// The per-message path of one process, step by step: parse a client's <c>send</c> frame, append it (the serial owner
/// and a durable SQLite commit, synchronous=FULL, one write per commit since nothing runs beside it), and serialise
/// the <c>message</c> frame that goes to every recipient.
/// </summary>
[MemoryDiagnoser]
public class MessagePathBenchmarks
{
    private const string ConversationId = "c_bench";
    private const string Sender = "u_alice";
    private readonly string directory = Path.Combine(Path.GetTempPath(), "messenger-bench-" + Guid.NewGuid().ToString("N"));
    private IHost host = null!;
    private ChatService chat = null!;
    private ReadOnlyMemory<byte> sendFrame;
    private MessageFrame messageFrame = null!;
    private long next;

    [GlobalSetup]
    public async Task SetUpAsync()
    {
        var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { DisableDefaults = true });
        builder.Configuration["Messenger:DataDir"] = directory;
        builder.Services.AddLogging();
        builder.AddMessengerCore().AddEmbeddedAdapters();
        host = builder.Build();
        chat = host.Services.GetRequiredService<ChatService>();

        var now = DateTimeOffset.UtcNow;
        var owner = host.Services.GetRequiredService<IConversationOwner>();
        await owner.CreateAsync(
            new ConversationState(ConversationId, ConversationType.Direct, null, Sender, now, [Sender, "u_bob"], 0, now, ImmutableDictionary<string, Cursor>.Empty),
            CancellationToken.None);
        sendFrame = Encoding.UTF8.GetBytes(
            $$"""{"type":"send","conversationId":"{{ConversationId}}","clientMessageId":"k_0123456789abcdef","text":"Hello, how are you doing today?"}""");
        var first = await chat.AppendAsync(Sender, ConversationId, "k_setup", "Hello, how are you doing today?", null, null, CancellationToken.None);
        messageFrame = new MessageFrame(first.Message);
    }

    [GlobalCleanup]
    public void CleanUp()
    {
        host.Dispose();
        Directory.Delete(directory, recursive: true);
    }

    [Benchmark]
    public FrameParseResult ParseSend() => ClientFrameParser.Parse(sendFrame);

    [Benchmark]
    public Task<AppendOutcome> Append() =>
        chat.AppendAsync(Sender, ConversationId, "k_" + Interlocked.Increment(ref next), "Hello, how are you doing today?", null, null, CancellationToken.None);

    [Benchmark]
    public byte[] SerializeMessage() => JsonSerializer.SerializeToUtf8Bytes<ServerFrame>(messageFrame, ProtocolJson.Default.ServerFrame);
}
