using System.Security.Claims;
using Messenger.Core.Domain;
using Messenger.Core.Errors;
using Messenger.Core.Services;
using Messenger.Hosting;
using Messenger.Hosting.RateLimits;
using Messenger.Messages.Contracts;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;

namespace Messenger.Messages.Endpoints;

/// <summary>
/// Reactions, edits and deletes of a message (each stored as an event with the next seq, deduplicated on its
/// clientMessageId: 201 with the stored event, 200 with it again for a repeat) and "delete for me".
/// </summary>
public static class MessageChangeEndpoints
{
    public const string IdempotencyKeyHeader = "Idempotency-Key";

    public static IEndpointRouteBuilder MapMessageChangeEndpoints(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/api/conversations/{conversationId}/messages/{seq:long}").WithTags("Messages").RequireAuthorization();
        group.MapPost("/reactions", ReactAsync).RateLimited(RateLimitKind.Sends);
        group.MapPatch("/", EditAsync).RateLimited(RateLimitKind.Sends);
        group.MapDelete("/", DeleteAsync).RateLimited(RateLimitKind.Sends);
        group.MapPost("/hide", HideAsync).RateLimited(RateLimitKind.Sends);
        return app;
    }

    private static async Task<Results<Ok<Message>, Created<Message>>> ReactAsync(
        string conversationId, long seq, ReactRequest request, ClaimsPrincipal user, MessageChangeService changes, MessageFanOut fanOut,
        HttpResponse response, CancellationToken cancellationToken)
    {
        var outcome = await changes.ReactAsync(user.GetUserId(), conversationId, request.ClientMessageId, seq, request.Emoji, cancellationToken);
        return Answer(conversationId, outcome, fanOut, response);
    }

    private static async Task<Results<Ok<Message>, Created<Message>>> EditAsync(
        string conversationId, long seq, EditRequest request, ClaimsPrincipal user, MessageChangeService changes, MessageFanOut fanOut,
        HttpResponse response, CancellationToken cancellationToken)
    {
        var outcome = await changes.EditAsync(user.GetUserId(), conversationId, request.ClientMessageId, seq, request.Text, cancellationToken);
        return Answer(conversationId, outcome, fanOut, response);
    }

    /// <summary>The clientMessageId comes in the <c>Idempotency-Key</c> header, or else in a JSON body.</summary>
    private static async Task<Results<Ok<Message>, Created<Message>>> DeleteAsync(
        string conversationId, long seq, [FromHeader(Name = IdempotencyKeyHeader)] string? idempotencyKey, ClaimsPrincipal user,
        MessageChangeService changes, MessageFanOut fanOut, HttpRequest request, HttpResponse response, CancellationToken cancellationToken)
    {
        var clientMessageId = idempotencyKey ?? await ClientMessageIdFromBodyAsync(request, cancellationToken);
        var outcome = await changes.DeleteAsync(user.GetUserId(), conversationId, clientMessageId, seq, cancellationToken);
        return Answer(conversationId, outcome, fanOut, response);
    }

    private static async Task<NoContent> HideAsync(
        string conversationId, long seq, ClaimsPrincipal user, MessageChangeService changes, CancellationToken cancellationToken)
    {
        await changes.HideAsync(user.GetUserId(), conversationId, seq, cancellationToken);
        return TypedResults.NoContent();
    }

    private static async Task<string?> ClientMessageIdFromBodyAsync(HttpRequest request, CancellationToken cancellationToken)
    {
        if (request.ContentLength is null or 0 && request.Headers.TransferEncoding.Count == 0)
        {
            throw ChatException.BadRequest($"A delete needs its clientMessageId: the {IdempotencyKeyHeader} header or a JSON body.");
        }

        return (await request.ReadFromJsonAsync<DeleteMessageRequest>(cancellationToken))?.ClientMessageId;
    }

    private static Results<Ok<Message>, Created<Message>> Answer(string conversationId, AppendOutcome outcome, MessageFanOut fanOut, HttpResponse response)
    {
        fanOut.AfterResponse(response, outcome);
        return outcome.Duplicate
            ? TypedResults.Ok(outcome.Message)
            : TypedResults.Created($"/api/conversations/{conversationId}/messages?afterSeq={outcome.Message.Seq - 1}&limit=1", outcome.Message);
    }
}
