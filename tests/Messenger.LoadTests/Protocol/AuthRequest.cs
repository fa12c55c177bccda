namespace Messenger.LoadTests.Protocol;

/// <summary>Body of <c>POST /api/auth/register</c> and <c>POST /api/auth/login</c>.</summary>
public sealed record AuthRequest(string Username, string Password, string? DisplayName = null);
