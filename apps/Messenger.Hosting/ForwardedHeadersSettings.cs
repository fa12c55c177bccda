using System.ComponentModel.DataAnnotations;
using System.Net;

namespace Messenger.Hosting;

/// <summary>
/// The proxies this app trusts to say who the client is (section <c>Messenger:ForwardedHeaders</c>): a request whose
/// direct peer is one of <see cref="KnownProxies"/> or inside one of <see cref="KnownNetworks"/> is taken to come from
/// the address its <c>X-Forwarded-For</c> names (walking back through trusted proxies only); from any other peer the
/// header is ignored. Nothing configured: nobody is trusted, the header is never read.
/// </summary>
public sealed class ForwardedHeadersSettings : IValidatableObject
{
    public const string Section = "Messenger:ForwardedHeaders";

    /// <summary>Addresses of trusted proxies, such as <c>127.0.0.1</c> or <c>::1</c>.</summary>
    public string[] KnownProxies { get; set; } = [];

    /// <summary>Networks of trusted proxies in CIDR notation, such as <c>10.0.0.0/8</c> or <c>fd00::/8</c>.</summary>
    public string[] KnownNetworks { get; set; } = [];

    public bool IsConfigured => KnownProxies.Length > 0 || KnownNetworks.Length > 0;

    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        foreach (var proxy in KnownProxies.Where(p => !IPAddress.TryParse(p, out _)))
        {
            yield return new ValidationResult($"{Section}:{nameof(KnownProxies)}: '{proxy}' is not an IP address.", [nameof(KnownProxies)]);
        }

        foreach (var network in KnownNetworks.Where(n => !IPNetwork.TryParse(n, out _)))
        {
            yield return new ValidationResult($"{Section}:{nameof(KnownNetworks)}: '{network}' is not a network in CIDR notation (address/prefix length).", [nameof(KnownNetworks)]);
        }
    }
}
