using System.Security.Claims;
using Messenger.Hosting;

namespace Messenger.IntegrationTests;

public sealed class MessengerClaimsTests
{
    [Fact]
    public void Kept_holds_only_the_claims_the_apps_read_under_the_scheme_with_the_name_claim_as_name()
    {
        var validated = new ClaimsPrincipal(new ClaimsIdentity(
            [
                new Claim("sub", "u_1"), new Claim("name", "alice"), new Claim("jti", "t_1"), new Claim("sid", "s_1"),
                new Claim("exp", "1796083200"), new Claim("iss", "messenger"), new Claim("aud", "messenger"),
                new Claim("iat", "1796082300"), new Claim("nbf", "1796082300"),
            ],
            "AuthenticationTypes.Federation"));

        var kept = MessengerClaims.Kept(validated, "Bearer");

        Assert.Equal(["sub", "name", "jti", "sid", "exp"], kept.Claims.Select(c => c.Type));
        Assert.Equal(["u_1", "alice", "t_1", "s_1", "1796083200"], kept.Claims.Select(c => c.Value));
        Assert.Equal("u_1", kept.GetUserId());
        Assert.True(kept.Identity!.IsAuthenticated);
        Assert.Equal("Bearer", kept.Identity.AuthenticationType);
        Assert.Equal("alice", kept.Identity.Name);
    }
}
