namespace Messenger.Core.Errors;

/// <summary>A request the domain refuses, with a contract error code and a message fit to show the client.</summary>
public sealed class ChatException(string code, string message) : Exception(message)
{
    public string Code { get; } = code;

    /// <summary>With <see cref="ErrorCodes.RateLimited"/>: when the caller may try again.</summary>
    public TimeSpan? RetryAfter { get; init; }

    public static ChatException BadRequest(string message) => new(ErrorCodes.BadRequest, message);
    public static ChatException NotFound(string message) => new(ErrorCodes.NotFound, message);
    public static ChatException Forbidden(string message) => new(ErrorCodes.Forbidden, message);
    public static ChatException Conflict(string message) => new(ErrorCodes.Conflict, message);
    public static ChatException TooLarge(string message) => new(ErrorCodes.TooLarge, message);
    public static ChatException Unauthorized(string message) => new(ErrorCodes.Unauthorized, message);
    public static ChatException EditWindowPassed(string message) => new(ErrorCodes.EditWindowPassed, message);

    public static ChatException RateLimited(string what, TimeSpan retryAfter) =>
        new(ErrorCodes.RateLimited, $"Too many {what}; try again in {Math.Max(1, (int)Math.Ceiling(retryAfter.TotalSeconds))} s.") { RetryAfter = retryAfter };
}
