using Messenger.Sidecar.Runner;

namespace Messenger.Sidecar.Tests;

/// <summary><c>up --free-ports</c>: new app ports, and the env values that name the old ones on loopback follow them.</summary>
public sealed class PortRemapTests
{
    [Fact]
    public void Every_app_port_moves_and_loopback_urls_naming_one_follow_it_while_other_hosts_and_ports_stay()
    {
        var file = new RunFile
        {
            Common = new RunAppSpec { Env = new() { ["SHARED"] = "http://localhost:5101;http://127.0.0.1:5102" } },
            Apps =
            [
                new RunAppSpec { AppId = "gateway", AppPort = 5101, Env = new() { ["ASPNETCORE_URLS"] = "http://localhost:5101" } },
                new RunAppSpec { AppId = "gateway", AppPort = 5102, Env = new() { ["ASPNETCORE_URLS"] = "http://LOCALHOST:5102" } },
                new RunAppSpec
                {
                    AppId = "edge",
                    AppPort = 5100,
                    Env = new()
                    {
                        ["DEST"] = "http://localhost:5101/",
                        ["OTHER_HOST"] = "http://gateway.internal:5101",
                        ["UNMAPPED"] = "http://127.0.0.1:10000/devstoreaccount1",
                        ["LONGER"] = "http://localhost:51010",
                    },
                },
                new RunAppSpec { AppId = "worker" },
            ],
        };
        var next = 40000;

        var map = PortRemap.Apply(file, () => next++);

        Assert.Equal(new Dictionary<int, int> { [5101] = 40000, [5102] = 40001, [5100] = 40002 }, map);
        Assert.Equal([40000, 40001, 40002, null], file.Apps.Select(a => a.AppPort));
        Assert.Equal("http://127.0.0.1:40000", file.Apps[0].Env!["ASPNETCORE_URLS"]);
        Assert.Equal("http://127.0.0.1:40001", file.Apps[1].Env!["ASPNETCORE_URLS"]);
        Assert.Equal("http://127.0.0.1:40000;http://127.0.0.1:40001", file.Common.Env!["SHARED"]);
        var edge = file.Apps[2].Env!;
        Assert.Equal("http://127.0.0.1:40000/", edge["DEST"]);
        Assert.Equal("http://gateway.internal:5101", edge["OTHER_HOST"]);
        Assert.Equal("http://127.0.0.1:10000/devstoreaccount1", edge["UNMAPPED"]);
        Assert.Equal("http://localhost:51010", edge["LONGER"]);
    }

    [Fact]
    public void Two_apps_on_one_port_are_refused()
    {
        var file = new RunFile { Apps = [new RunAppSpec { AppId = "a", AppPort = 5000 }, new RunAppSpec { AppId = "b", AppPort = 5000 }] };

        Assert.Throws<InvalidDataException>(() => PortRemap.Apply(file, () => 40000));
    }
}
