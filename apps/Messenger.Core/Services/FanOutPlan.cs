namespace Messenger.Core.Services;

/// <summary>Which gateway gets which recipients, and who is connected nowhere.</summary>
public sealed record FanOutPlan(IReadOnlyDictionary<string, IReadOnlyList<string>> ByGateway, IReadOnlyList<string> Offline)
{
    public static FanOutPlan Create(IReadOnlyCollection<string> userIds, IReadOnlyDictionary<string, IReadOnlyCollection<string>> locations)
    {
        var byGateway = new Dictionary<string, IReadOnlyList<string>>(StringComparer.Ordinal);
        var offline = new List<string>();
        var named = new HashSet<string>(userIds.Count, StringComparer.Ordinal);
        foreach (var userId in userIds)
        {
            if (!named.Add(userId))
            {
                continue;
            }

            if (!locations.TryGetValue(userId, out var gateways) || gateways.Count == 0)
            {
                offline.Add(userId);
                continue;
            }

            foreach (var gatewayId in gateways)
            {
                if (!byGateway.TryGetValue(gatewayId, out var list))
                {
                    byGateway[gatewayId] = list = new List<string>();
                }

                ((List<string>)list).Add(userId);
            }
        }

        return new FanOutPlan(byGateway, offline);
    }
}
