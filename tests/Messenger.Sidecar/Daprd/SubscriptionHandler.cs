using System.Diagnostics;
using System.Net;
using System.Net.Http.Headers;
using System.Text.Json;
using Messenger.Sidecar.Components;
using Messenger.Sidecar.PubSub;

namespace Messenger.Sidecar.Daprd;

/// <summary>
/// Delivers one event to the app's route as daprd's HTTP postman does: a 2xx with no (or no JSON) body or with
/// status SUCCESS (or empty) is a success; DROP and 404 drop the event (to the dead-letter topic when the
/// subscription has one); RETRY, any other status and an unreachable app are retried per the resiliency policy,
/// then the event goes to the dead-letter topic (or, without one, is given up).
/// </summary>
internal sealed class SubscriptionHandler(SidecarRuntime runtime, DeclaredSubscription subscription, RetryPolicy policy) : IEventHandler
{
    private enum Outcome
    {
        Success,
        Drop,
        Retry,
    }

    public async Task HandleAsync(BrokerMessage message, CancellationToken cancellationToken)
    {
        if (message.Redelivered)
        {
            runtime.Count(Operation.Redelivery);
        }

        if (!message.Redelivered && message.PublishedAt != 0)
        {
            runtime.Infrastructure.Hops.Record("event wait in broker", Stopwatch.GetElapsedTime(message.PublishedAt));
        }

        var (eventId, traceParent) = Identify(message.Data);
        for (var attempt = 1; ; attempt++)
        {
            var outcome = await DeliverOnceAsync(message, eventId, traceParent, attempt, cancellationToken);
            if (outcome == Outcome.Success)
            {
                runtime.Count(Operation.Delivery);
                return;
            }

            if (outcome == Outcome.Drop)
            {
                Settle(message, eventId, attempt, "dropped");
                return;
            }

            if (policy.DelayBefore(attempt) is not { } delay)
            {
                Settle(message, eventId, attempt, "retries exhausted");
                return;
            }

            await Task.Delay(delay, runtime.Infrastructure.Time, cancellationToken);
        }
    }

    private void Settle(BrokerMessage message, string eventId, int attempts, string why)
    {
        runtime.Count(Operation.Delivery);
        if (subscription.DeadLetterTopic is { } deadLetter && runtime.PublishDeadLetter(message, deadLetter))
        {
            runtime.Count(Operation.DeadLetter);
            SidecarLog.GivenUp(runtime.Logger, runtime.Name, eventId, message.Topic, attempts, $"{why}, sent to dead-letter topic {deadLetter}");
            return;
        }

        runtime.Count(Operation.Drop);
        SidecarLog.GivenUp(runtime.Logger, runtime.Name, eventId, message.Topic, attempts,
            $"{why}, no dead-letter topic: dropped (daprd would leave it unacknowledged for the broker to redeliver)");
    }

    private async Task<Outcome> DeliverOnceAsync(BrokerMessage message, string eventId, string? traceParent, int attempt, CancellationToken cancellationToken)
    {
        runtime.Count(Operation.DeliveryAttempt);
        var start = Stopwatch.GetTimestamp();
        var waited = TimeSpan.Zero;
        try
        {
            return await SendOnceAsync(message, eventId, traceParent, attempt, app => waited += app, cancellationToken);
        }
        finally
        {
            runtime.Infrastructure.Hops.Record("event delivery", Stopwatch.GetElapsedTime(start) - waited);
        }
    }

    private async Task<Outcome> SendOnceAsync(
        BrokerMessage message, string eventId, string? traceParent, int attempt, Action<TimeSpan> appTime, CancellationToken cancellationToken)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, subscription.Route.StartsWith('/') ? subscription.Route : "/" + subscription.Route)
        {
            Content = new ByteArrayContent(message.Data),
        };
        request.Content.Headers.ContentType = MediaTypeHeaderValue.Parse(message.ContentType);
        request.Headers.TryAddWithoutValidation("pubsubname", message.PubSub);
        if (traceParent is not null)
        {
            request.Headers.TryAddWithoutValidation("traceparent", traceParent);
        }

        HttpResponseMessage response;
        var sent = Stopwatch.GetTimestamp();
        try
        {
            response = await runtime.Channel!.SendAsync(request, cancellationToken);
            appTime(Stopwatch.GetElapsedTime(sent));
        }
        catch (HttpRequestException exception)
        {
            SidecarLog.DeliveryUnreachable(runtime.Logger, runtime.Name, eventId, message.Topic, attempt, exception);
            return Outcome.Retry;
        }

        using (response)
        {
            var status = (int)response.StatusCode;
            if (response.IsSuccessStatusCode)
            {
                var outcome = ReadStatus(await response.Content.ReadAsByteArrayAsync(cancellationToken));
                if (outcome != Outcome.Success)
                {
                    SidecarLog.DeliveryOutcome(runtime.Logger, runtime.Name, eventId, message.Topic, outcome == Outcome.Drop ? "DROP" : "RETRY (or unknown status)", attempt, status);
                }

                return outcome;
            }

            if (response.StatusCode == HttpStatusCode.NotFound)
            {
                SidecarLog.DeliveryOutcome(runtime.Logger, runtime.Name, eventId, message.Topic, "404 from the app: non-retriable, dropped", attempt, status);
                return Outcome.Drop;
            }

            SidecarLog.DeliveryOutcome(runtime.Logger, runtime.Name, eventId, message.Topic, "retriable error from the app", attempt, status);
            return Outcome.Retry;
        }
    }

    private static Outcome ReadStatus(byte[] body)
    {
        if (body.Length == 0)
        {
            return Outcome.Success;
        }

        try
        {
            using var document = JsonDocument.Parse(body);
            if (document.RootElement.ValueKind != JsonValueKind.Object || !document.RootElement.TryGetProperty("status", out var status))
            {
                return Outcome.Success;
            }

            return status.GetString() switch
            {
                null or "" or "SUCCESS" => Outcome.Success,
                "DROP" => Outcome.Drop,
                _ => Outcome.Retry, // RETRY, and an unknown status, which daprd treats as an error and retries
            };
        }
        catch (JsonException)
        {
            return Outcome.Success; // daprd skips the status check when the body is not JSON
        }
    }

    private static (string Id, string? TraceParent) Identify(byte[] data)
    {
        try
        {
            using var document = JsonDocument.Parse(data);
            var root = document.RootElement;
            var id = root.TryGetProperty("id", out var i) ? i.ToString() : string.Empty;
            var trace = root.TryGetProperty("traceparent", out var t) && t.ValueKind == JsonValueKind.String ? t.GetString() : null;
            return (id, trace);
        }
        catch (JsonException)
        {
            return (string.Empty, null);
        }
    }
}
