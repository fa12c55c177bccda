using Messenger.Core.Ports;
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
        builder.Services.AddAuthentication(JwtBearerDefaults.AuthenticationScheme).AddJwtBearer();
        builder.Services.AddOptions<JwtBearerOptions>(JwtBearerDefaults.AuthenticationScheme)
            .Configure<IOptions<AuthOptions>>((jwt, auth) =>
            {
                var settings = auth.Value;
                jwt.MapInboundClaims = false;
                jwt.TokenValidationParameters = new TokenValidationParameters
                {
                    ValidIssuer = settings.Issuer,
                    ValidAudience = settings.Audience,
                    IssuerSigningKey = new SymmetricSecurityKey(settings.KeyBytes()),
                    ValidAlgorithms = [SecurityAlgorithms.HmacSha256],
                    ClockSkew = TimeSpan.FromSeconds(30),
                    NameClaimType = MessengerClaims.Username,
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
                    OnTokenValidated = async context =>
                    {
                        var tokenId = context.Principal?.FindFirst(MessengerClaims.TokenId)?.Value;
                        var revocations = context.HttpContext.RequestServices.GetRequiredService<ITokenRevocationStore>();
                        if (tokenId is null || await revocations.IsRevokedAsync(tokenId, context.HttpContext.RequestAborted))
                        {
                            context.Fail("The token was revoked.");
                        }
                    },
                };
            });
        builder.Services.AddAuthorization();
        return builder;
    }
}
