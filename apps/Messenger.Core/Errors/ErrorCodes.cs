namespace Messenger.Core.Errors;

/// <summary>The error codes of the client contract (WebSocket <c>error</c> frames; HTTP problem details <c>code</c>).</summary>
public static class ErrorCodes
{
    public const string BadRequest = "bad_request";
    public const string Unauthorized = "unauthorized";
    public const string Forbidden = "forbidden";
    public const string NotFound = "not_found";
    public const string Conflict = "conflict";
    public const string TooLarge = "too_large";
    public const string RateLimited = "rate_limited";

    /// <summary>An edit of a message after <c>Messenger:Chat:EditWindow</c> since it was sent.</summary>
    public const string EditWindowPassed = "edit_window_passed";
    public const string Internal = "internal";
    public const string Unavailable = "unavailable";
}
