namespace Messenger.LoadTests.Protocol;

/// <summary>Paths of the client contract that the tool and the baseline relay use.</summary>
public static class ApiPaths
{
    public const string Register = "/api/auth/register";
    public const string Login = "/api/auth/login";
    public const string Conversations = "/api/conversations";
    public const string Health = "/healthz";
    public const string WebSocket = "/ws";
    public const string AccessTokenQuery = "access_token";
}
