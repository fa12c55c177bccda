using Messenger.Core.Domain;
using Microsoft.Extensions.Options;

namespace Messenger.Gateway;

/// <summary>Who this gateway is among its peers: the presence directory and the delivery topic use this id.</summary>
public sealed class GatewayInstance(IOptions<GatewayOptions> options)
{
    public string Id { get; } = options.Value.InstanceId ?? Ids.New("g_")[..14];
}
