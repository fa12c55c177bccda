using System.Security.Claims;
using Messenger.Core.Domain;
using Messenger.Core.Ports;
using Messenger.Hosting;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Messenger.Push;

/// <summary>
/// <c>POST /api/devices</c> <c>{token, platform}</c> -> 204 (a token registered by someone else moves to the caller);
/// <c>DELETE /api/devices/{token}</c> -> 204 (only the caller's own token is removed; an unknown one is no error).
/// Both need a bearer token; bad input gets a 400 validation problem.
/// </summary>
public static class PushEndpoints
{
    public const string DevicesRoute = "/api/devices";
    public const int MaxTokenLength = 4096;

    private const string TokenField = "token";
    private const string PlatformField = "platform";

    /// <summary>The contract's platform names (case is forgiven).</summary>
    private static readonly Dictionary<string, DevicePlatform> Platforms = new(StringComparer.OrdinalIgnoreCase)
    {
        ["android"] = DevicePlatform.Android,
        ["ios"] = DevicePlatform.Ios,
        ["web"] = DevicePlatform.Web,
    };

    /// <summary>Maps both routes under <see cref="DevicesRoute"/>; hosts call <see cref="PushServiceExtensions.MapPush"/>.</summary>
    public static RouteGroupBuilder Map(IEndpointRouteBuilder endpoints)
    {
        var devices = endpoints.MapGroup(DevicesRoute).RequireAuthorization().WithTags("Devices");
        devices.MapPost("", RegisterAsync).WithName("RegisterDevice");
        devices.MapDelete("/{token}", UnregisterAsync).WithName("UnregisterDevice");
        return devices;
    }

    private static async Task<Results<NoContent, ValidationProblem>> RegisterAsync(
        DeviceRegistration? registration,
        ClaimsPrincipal user,
        IDeviceStore store,
        TimeProvider time,
        CancellationToken cancellationToken)
    {
        var errors = new Dictionary<string, string[]>(StringComparer.Ordinal);
        if (TokenProblem(registration?.Token) is { } tokenProblem)
        {
            errors[TokenField] = [tokenProblem];
        }

        if (!TryParsePlatform(registration?.Platform, out var platform))
        {
            errors[PlatformField] = ["platform must be \"android\", \"ios\" or \"web\"."];
        }

        if (errors.Count > 0)
        {
            return TypedResults.ValidationProblem(errors, detail: "The device registration is invalid.");
        }

        var device = new Device(registration!.Token!, user.GetUserId(), platform, time.GetUtcNow());
        await store.UpsertAsync(device, cancellationToken);
        return TypedResults.NoContent();
    }

    private static async Task<Results<NoContent, ValidationProblem>> UnregisterAsync(
        string token,
        ClaimsPrincipal user,
        IDeviceStore store,
        CancellationToken cancellationToken)
    {
        if (TokenProblem(token) is { } problem)
        {
            return TypedResults.ValidationProblem(
                new Dictionary<string, string[]> { [TokenField] = [problem] },
                detail: "The device token is invalid.");
        }

        await store.RemoveAsync(token, user.GetUserId(), cancellationToken);
        return TypedResults.NoContent();
    }

    /// <summary>A token is 1 to <see cref="MaxTokenLength"/> printable ASCII characters without spaces.</summary>
    internal static string? TokenProblem(string? token)
    {
        if (string.IsNullOrEmpty(token))
        {
            return "token is required.";
        }

        if (token.Length > MaxTokenLength)
        {
            return $"token must be at most {MaxTokenLength} characters.";
        }

        return token.All(c => c is > ' ' and <= '~') ? null : "token may hold only printable ASCII characters without spaces.";
    }

    internal static bool TryParsePlatform(string? text, out DevicePlatform platform)
    {
        platform = default;
        return text is not null && Platforms.TryGetValue(text, out platform);
    }
}
