namespace Messenger.Core.Services;

/// <summary>Which gateway gets which recipients, and who is connected nowhere.</summary>
public sealed record FanOutPlan(IReadOnlyDictionary<string, IReadOnlyList<string>> ByGateway, IReadOnlyList<string> Offline)
{
    public static FanOutPlan Create(IReadOnlyCollection<string> userIds, IReadOnlyDictionary<string, IReadOnlyCollection<string>> locations)
    {
        var byGateway = new Dictionary<string, List<string>>(StringComparer.Ordinal);
        var offline = new List<string>();
        foreach (var userId in userIds.Distinct(StringComparer.Ordinal))
        {
            if (!locations.TryGetValue(userId, out var gateways) || gateways.Count == 0)
            {
                offline.Add(userId);
                continue;
            }

            foreach (var gatewayId in gateways)
            {
                if (!byGateway.TryGetValue(gatewayId, out var list))
                {
                    byGateway[gatewayId] = list = [];
                }

                list.Add(userId);
            }
        }

        return new FanOutPlan(byGateway.ToDictionary(p => p.Key, p => (IReadOnlyList<string>)p.Value, StringComparer.Ordinal), offline);
    }
}
