using System.Security.Claims;
using Messenger.Core.Domain;
using Microsoft.Extensions.Options;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;

namespace Messenger.Hosting;

/// <summary>Issues the bearer tokens that every app accepts: the current token of a session (<see cref="SessionService"/>).</summary>
public sealed class TokenIssuer(IOptions<AuthOptions> options, TimeProvider time)
{
    private readonly JsonWebTokenHandler handler = new();

    public string Issue(User user, Session session)
    {
        var settings = options.Value;
        var now = time.GetUtcNow().UtcDateTime;
        return handler.CreateToken(new SecurityTokenDescriptor
        {
            Issuer = settings.Issuer,
            Audience = settings.Audience,
            IssuedAt = now,
            NotBefore = now,
            Expires = session.TokenExpiresAt.UtcDateTime,
            Subject = new ClaimsIdentity(
            [
                new Claim(MessengerClaims.UserId, user.UserId),
                new Claim(MessengerClaims.Username, user.Username),
                new Claim(MessengerClaims.TokenId, session.TokenId),
                new Claim(MessengerClaims.SessionId, session.SessionId),
            ]),
            SigningCredentials = new SigningCredentials(new SymmetricSecurityKey(settings.KeyBytes()), SecurityAlgorithms.HmacSha256),
        });
    }
}
