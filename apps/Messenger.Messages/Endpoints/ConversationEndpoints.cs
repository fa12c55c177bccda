using System.Security.Claims;
using Messenger.Core.Domain;
using Messenger.Core.Errors;
using Messenger.Core.Protocol;
using Messenger.Core.Services;
using Messenger.Hosting;
using Messenger.Hosting.RateLimits;
using Messenger.Messages.Contracts;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Messenger.Messages.Endpoints;

public static class ConversationEndpoints
{
    public static IEndpointRouteBuilder MapConversationEndpoints(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/api/conversations").WithTags("Conversations").RequireAuthorization();
        group.MapPost("/", CreateAsync).RateLimited(RateLimitKind.Conversations);
        group.MapGet("/", ListAsync);
        group.MapGet("/{conversationId}", GetAsync);
        group.MapPost("/{conversationId}/members", AddMemberAsync).RateLimited(RateLimitKind.Conversations);
        group.MapDelete("/{conversationId}/members/{userId}", RemoveMemberAsync);
        group.MapPost("/{conversationId}/admins", PromoteAsync).RateLimited(RateLimitKind.Conversations);
        return app;
    }

    private static async Task<Results<Created<ConversationDto>, Ok<ConversationDto>>> CreateAsync(CreateConversationRequest request, ClaimsPrincipal user, ChatService chat, CancellationToken cancellationToken)
    {
        var type = request.Type switch
        {
            "direct" => ConversationType.Direct,
            "group" => ConversationType.Group,
            _ => throw ChatException.BadRequest("type must be \"direct\" or \"group\"."),
        };
        var (conversation, created) = await chat.CreateConversationAsync(user.GetUserId(), type, request.Title, request.MemberIds, cancellationToken);
        return created
            ? TypedResults.Created($"/api/conversations/{conversation.ConversationId}", conversation)
            : TypedResults.Ok(conversation);
    }

    private static async Task<Ok<IReadOnlyList<ConversationDto>>> ListAsync(ClaimsPrincipal user, ChatService chat, CancellationToken cancellationToken) =>
        TypedResults.Ok(await chat.ListConversationsAsync(user.GetUserId(), cancellationToken));

    private static async Task<Ok<ConversationDto>> GetAsync(string conversationId, ClaimsPrincipal user, ChatService chat, CancellationToken cancellationToken) =>
        TypedResults.Ok(await chat.GetConversationAsync(user.GetUserId(), Validate.Id(conversationId, "conversationId"), cancellationToken));

    private static async Task<NoContent> AddMemberAsync(
        string conversationId, AddMemberRequest request, ClaimsPrincipal user, ChatService chat, CancellationToken cancellationToken)
    {
        await chat.AddMemberAsync(user.GetUserId(), Validate.Id(conversationId, "conversationId"), Validate.Id(request.UserId, "userId"), cancellationToken);
        return TypedResults.NoContent();
    }

    private static async Task<NoContent> PromoteAsync(
        string conversationId, PromoteRequest request, ClaimsPrincipal user, ChatService chat, CancellationToken cancellationToken)
    {
        await chat.PromoteAsync(user.GetUserId(), Validate.Id(conversationId, "conversationId"), Validate.Id(request.UserId, "userId"), cancellationToken);
        return TypedResults.NoContent();
    }

    private static async Task<NoContent> RemoveMemberAsync(
        string conversationId, string userId, ClaimsPrincipal user, ChatService chat, CancellationToken cancellationToken)
    {
        await chat.RemoveMemberAsync(user.GetUserId(), Validate.Id(conversationId, "conversationId"), Validate.Id(userId, "userId"), cancellationToken);
        return TypedResults.NoContent();
    }
}
