using System.Security.Claims;
using Messenger.Core.Domain;
using Microsoft.Extensions.Options;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;

namespace Messenger.Hosting;

/// <summary>Issues the bearer tokens that every app accepts.</summary>
public sealed class TokenIssuer(IOptions<AuthOptions> options, TimeProvider time)
{
    private readonly JsonWebTokenHandler handler = new();

    public string Issue(User user)
    {
        var settings = options.Value;
        var now = time.GetUtcNow().UtcDateTime;
        return handler.CreateToken(new SecurityTokenDescriptor
        {
            Issuer = settings.Issuer,
            Audience = settings.Audience,
            IssuedAt = now,
            NotBefore = now,
            Expires = now + settings.TokenLifetime,
            Subject = new ClaimsIdentity(
            [
                new Claim(MessengerClaims.UserId, user.UserId),
                new Claim(MessengerClaims.Username, user.Username),
                new Claim(MessengerClaims.TokenId, Ids.New("t_")),
            ]),
            SigningCredentials = new SigningCredentials(new SymmetricSecurityKey(settings.KeyBytes()), SecurityAlgorithms.HmacSha256),
        });
    }
}
