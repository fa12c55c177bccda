using Messenger.Core.Services;

namespace Messenger.Messages;

/// <summary>
/// Fans out a message sent over HTTP once its answer (201, right after the commit) has gone to the sender, off the
/// sender's path. A failure is logged: the message is stored, and members get it from a gap fill or sync.
/// </summary>
public sealed partial class MessageFanOut(ChatService chat, ILogger<MessageFanOut> logger)
{
    public void AfterResponse(HttpResponse response, AppendOutcome outcome)
    {
        if (!outcome.Duplicate)
        {
            response.OnCompleted(() => RunAsync(outcome));
        }
    }

    private async Task RunAsync(AppendOutcome outcome)
    {
        try
        {
            // The request is over, so its token is not the fan-out's.
            await chat.FanOutAsync(outcome, exceptConnectionId: null, CancellationToken.None);
        }
        catch (Exception e)
        {
            FanOutFailed(logger, e, outcome.Message.ConversationId, outcome.Message.Seq);
        }
    }

    [LoggerMessage(Level = LogLevel.Error, Message = "Fanning out seq {Seq} of conversation {ConversationId} failed; members get it from a gap fill or sync")]
    private static partial void FanOutFailed(ILogger logger, Exception exception, string conversationId, long seq);
}
