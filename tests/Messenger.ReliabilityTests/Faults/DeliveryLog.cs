using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;
using System.Text.Json.Nodes;
using Messenger.ReliabilityTests.Infrastructure;

namespace Messenger.ReliabilityTests.Faults;

/// <summary>
/// What each member of a busy group received, per phase of traffic: every message with its delivery latency (the
/// send time is written into the text as <c>{phase}|{timestamp}|…</c>), and every error frame.
/// </summary>
internal sealed class DeliveryLog
{
    private readonly ConcurrentDictionary<(string Phase, int Receiver), ConcurrentQueue<(string ClientId, long Seq, double Latency)>> received = new();
    private readonly ConcurrentQueue<string> errors = new();

    public IReadOnlyCollection<string> Errors => errors;

    public static string Text(string phase, string padding) =>
        $"{phase}|{Stopwatch.GetTimestamp().ToString(CultureInfo.InvariantCulture)}|{padding}";

    public Action<JsonObject, long> For(int receiver) => (frame, at) => Record(receiver, frame, at);

    /// <summary>What <paramref name="receiver"/> got in <paramref name="phase"/>.</summary>
    public IReadOnlyList<(string ClientId, long Seq, double Latency)> Of(string phase, int receiver) =>
        received.TryGetValue((phase, receiver), out var queue) ? queue.ToList() : [];

    private void Record(int receiver, JsonObject frame, long at)
    {
        switch (WsClient.Type(frame))
        {
            case "error":
                errors.Enqueue(frame.ToJsonString());
                break;
            case "message" when (string?)frame["message"]!["text"] is { } text && text.Split('|', 3) is [var phase, var sentAt, _]:
                var latency = Stopwatch.GetElapsedTime(long.Parse(sentAt, CultureInfo.InvariantCulture), at).TotalMilliseconds;
                received.GetOrAdd((phase, receiver), _ => new()).Enqueue(((string)frame["message"]!["clientMessageId"]!, (long)frame["message"]!["seq"]!, latency));
                break;
        }
    }
}
