using Messenger.Core.Services;

namespace Messenger.Core.Tests;

public sealed class FanOutPlanTests
{
    [Fact]
    public void Create_groups_recipients_by_the_gateway_that_holds_them()
    {
        var plan = FanOutPlan.Create(
            ["a", "b", "c"],
            Locations(("a", ["g1"]), ("b", ["g2"]), ("c", ["g1"])));

        Assert.Equal(["g1", "g2"], plan.ByGateway.Keys.Order(StringComparer.Ordinal));
        Assert.Equal(["a", "c"], plan.ByGateway["g1"]);
        Assert.Equal(["b"], plan.ByGateway["g2"]);
        Assert.Empty(plan.Offline);
    }

    [Fact]
    public void Create_sends_a_user_on_two_gateways_to_both()
    {
        var plan = FanOutPlan.Create(["a", "b"], Locations(("a", ["g1", "g2"]), ("b", ["g2"])));

        Assert.Equal(["a"], plan.ByGateway["g1"]);
        Assert.Equal(["a", "b"], plan.ByGateway["g2"]);
        Assert.Equal(2, plan.ByGateway.Count);
    }

    [Fact]
    public void Create_lists_users_connected_nowhere_as_offline()
    {
        var plan = FanOutPlan.Create(["a", "b", "c"], Locations(("b", ["g1"]), ("c", [])));

        Assert.Equal(["a", "c"], plan.Offline);
        Assert.Equal(["b"], plan.ByGateway["g1"]);
        Assert.Single(plan.ByGateway);
    }

    [Fact]
    public void Create_names_each_recipient_once_despite_duplicates()
    {
        var plan = FanOutPlan.Create(["a", "a", "b", "z", "z"], Locations(("a", ["g1"]), ("b", ["g1"])));

        Assert.Equal(["a", "b"], plan.ByGateway["g1"]);
        Assert.Equal(["z"], plan.Offline);
    }

    [Fact]
    public void Create_ignores_located_users_who_are_not_recipients()
    {
        var plan = FanOutPlan.Create(["a"], Locations(("a", ["g1"]), ("stranger", ["g2"])));

        Assert.Equal(["g1"], plan.ByGateway.Keys);
    }

    [Fact]
    public void Create_with_no_recipients_plans_nothing()
    {
        var plan = FanOutPlan.Create([], Locations(("a", ["g1"])));

        Assert.Empty(plan.ByGateway);
        Assert.Empty(plan.Offline);
    }

    private static Dictionary<string, IReadOnlyCollection<string>> Locations(params (string User, string[] Gateways)[] entries) =>
        entries.ToDictionary(e => e.User, e => (IReadOnlyCollection<string>)e.Gateways, StringComparer.Ordinal);
}
