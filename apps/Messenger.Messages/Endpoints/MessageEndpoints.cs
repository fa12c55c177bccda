using System.Security.Claims;
using Messenger.Core.Domain;
using Messenger.Core.Errors;
using Messenger.Core.Services;
using Messenger.Hosting;
using Messenger.Hosting.RateLimits;
using Messenger.Messages.Contracts;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Messenger.Messages.Endpoints;

public static class MessageEndpoints
{
    public static IEndpointRouteBuilder MapMessageEndpoints(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/api/conversations/{conversationId}").WithTags("Messages").RequireAuthorization();
        group.MapGet("/messages", HistoryAsync);
        group.MapPost("/messages", SendAsync).RateLimited(RateLimitKind.Sends);
        group.MapPost("/read", ReadAsync).RateLimited(RateLimitKind.Receipts);
        group.MapGet("/receipts", ReceiptsAsync);
        return app;
    }

    private static async Task<Ok<MessagesResponse>> HistoryAsync(
        string conversationId, long? afterSeq, long? beforeSeq, int? limit, ClaimsPrincipal user, ChatService chat, CancellationToken cancellationToken)
    {
        if (afterSeq < 0 || beforeSeq < 0)
        {
            throw ChatException.BadRequest("afterSeq and beforeSeq must be non-negative integers.");
        }

        var page = await chat.GetHistoryAsync(user.GetUserId(), conversationId, HistoryQuery.Create(afterSeq, beforeSeq, limit), cancellationToken);
        return TypedResults.Ok(new MessagesResponse(page));
    }

    private static async Task<Results<Ok<Message>, Created<Message>>> SendAsync(
        string conversationId, SendMessageRequest request, ClaimsPrincipal user, ChatService chat, MessageFanOut fanOut, HttpResponse response, CancellationToken cancellationToken)
    {
        var outcome = await chat.AppendAsync(user.GetUserId(), conversationId, request.ClientMessageId, request.Text, request.MediaId, request.ReplyTo, cancellationToken);
        fanOut.AfterResponse(response, outcome);
        return outcome.Duplicate
            ? TypedResults.Ok(outcome.Message)
            : TypedResults.Created($"/api/conversations/{conversationId}/messages?afterSeq={outcome.Message.Seq - 1}&limit=1", outcome.Message);
    }

    private static async Task<Ok<ReceiptsResponse>> ReceiptsAsync(string conversationId, ClaimsPrincipal user, ChatService chat, CancellationToken cancellationToken)
    {
        var receipts = await chat.GetReceiptsAsync(user.GetUserId(), conversationId, cancellationToken);
        return TypedResults.Ok(new ReceiptsResponse(receipts.Select(r => new ReceiptResponse(r.UserId, r.DeliveredSeq, r.ReadSeq)).ToList()));
    }

    private static async Task<NoContent> ReadAsync(
        string conversationId, ReadRequest request, ClaimsPrincipal user, ChatService chat, CancellationToken cancellationToken)
    {
        var seq = Validate.Seq(request.Seq ?? throw ChatException.BadRequest("seq is required."));
        await chat.MarkAsync(user.GetUserId(), conversationId, deliveredSeq: null, readSeq: seq, cancellationToken);
        return TypedResults.NoContent();
    }
}
