using Microsoft.AspNetCore.Authentication.JwtBearer;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;
using Microsoft.IdentityModel.Tokens;

namespace Messenger.Hosting;

/// <summary>JWT bearer auth from <see cref="AuthOptions"/>; the WebSocket path may carry the token as <c>?access_token=</c>.</summary>
public static class AuthenticationSetup
{
    public const string WebSocketPath = "/ws";

    /// <summary>How far the clocks of the app that issued a token and the one that checks it may differ.</summary>
    private static readonly TimeSpan ClockSkew = TimeSpan.FromSeconds(30);

    /// <summary>Media downloads, so that an <c>&lt;img src&gt;</c> (which cannot send a header) can show a photo.</summary>
    public const string MediaPath = "/api/media";

    /// <summary>
    /// Where a browser cannot set a header: the WebSocket upgrade and media downloads (GET). Nowhere else, so that
    /// tokens stay out of ordinary URLs; request lines are never logged (see HostingExtensions).
    /// </summary>
    private static bool AcceptsQueryToken(Microsoft.AspNetCore.Http.HttpRequest request) =>
        request.Path.StartsWithSegments(WebSocketPath)
        || (Microsoft.AspNetCore.Http.HttpMethods.IsGet(request.Method) && request.Path.StartsWithSegments(MediaPath));

    public static IHostApplicationBuilder AddMessengerAuthentication(this IHostApplicationBuilder builder)
    {
        builder.Services.AddOptions<AuthOptions>().BindConfiguration(AuthOptions.Section).ValidateDataAnnotations().ValidateOnStart();
        builder.Services.AddSingleton<TokenIssuer>();
        builder.Services.AddSingleton<SessionService>();
        builder.Services.AddAuthentication(JwtBearerDefaults.AuthenticationScheme).AddJwtBearer();
        builder.Services.AddOptions<JwtBearerOptions>(JwtBearerDefaults.AuthenticationScheme)
            .Configure<IOptions<AuthOptions>, TimeProvider>((jwt, auth, time) =>
            {
                var settings = auth.Value;
                jwt.MapInboundClaims = false;
                jwt.TokenValidationParameters = new TokenValidationParameters
                {
                    ValidIssuer = settings.Issuer,
                    ValidAudience = settings.Audience,
                    IssuerSigningKey = new SymmetricSecurityKey(settings.KeyBytes()),
                    ValidAlgorithms = [SecurityAlgorithms.HmacSha256],
                    ClockSkew = ClockSkew,
                    NameClaimType = MessengerClaims.Username,

                    // On the host's clock (the one tokens and sessions are made on), not the machine's directly.
                    LifetimeValidator = (notBefore, expires, _, _) =>
                    {
                        var now = time.GetUtcNow().UtcDateTime;
                        return expires is { } end && end > now - ClockSkew && (notBefore is not { } start || start <= now + ClockSkew);
                    },
                };
                jwt.Events = new JwtBearerEvents
                {
                    OnMessageReceived = context =>
                    {
                        if (AcceptsQueryToken(context.Request) && context.Request.Query.TryGetValue("access_token", out var token))
                        {
                            context.Token = token.ToString();
                        }

                        return Task.CompletedTask;
                    },
                    // A well-signed token is good only as the current token of a live session: not after a refresh
                    // replaced it, the session's logout, or the session's absolute age (one session read per request).
                    OnTokenValidated = async context =>
                    {
                        var sessions = context.HttpContext.RequestServices.GetRequiredService<SessionService>();
                        if (context.Principal is null || !await sessions.AcceptsAsync(context.Principal, context.HttpContext.RequestAborted))
                        {
                            context.Fail("The session has ended or the token was replaced.");
                            return;
                        }

                        context.Principal = MessengerClaims.Kept(context.Principal, context.Scheme.Name);
                    },
                };
            });
        builder.Services.AddAuthorization();
        return builder;
    }
}
