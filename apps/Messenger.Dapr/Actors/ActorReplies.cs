using Messenger.Core.Errors;

namespace Messenger.Dapr.Actors;

public static class ActorReplies
{
    /// <summary>Runs the actor's work; a refusal by the domain becomes a reply, anything else fails the call.</summary>
    public static async Task<ActorReply<T>> RunAsync<T>(Func<Task<T>> work)
    {
        try
        {
            return new ActorReply<T>(await work(), null, null);
        }
        catch (ChatException e)
        {
            return new ActorReply<T>(default, e.Code, e.Message);
        }
    }

    public static T Unwrap<T>(this ActorReply<T> reply) =>
        reply.ErrorCode is { } code
            ? throw new ChatException(code, reply.ErrorMessage ?? code)
            : reply.Value ?? throw new InvalidOperationException("The conversation actor replied with neither a value nor an error.");
}
