using System.Net;

namespace Messenger.IntegrationTests;

/// <summary>Messenger:Chat:EditWindow, set short on a server of its own.</summary>
public sealed class EditWindowTests
{
    [Fact]
    public async Task An_edit_after_the_configured_window_is_edit_window_passed_and_changes_nothing()
    {
        await using var server = await StandaloneServer.StartAsync(settings: ["--Messenger:Chat:EditWindow", "00:00:00.300"]);
        var alice = await server.Api.RegisterAsync();
        var bob = await server.Api.RegisterAsync();
        var chat = await server.Api.DirectAsync(alice, bob);
        await server.Api.PostAsync(alice, $"/api/conversations/{chat}/messages", new { clientMessageId = "m1", text = "typo" });

        await Task.Delay(TimeSpan.FromMilliseconds(600));
        var (status, body) = await server.Api.PatchAsync(alice, $"/api/conversations/{chat}/messages/1", new { clientMessageId = "e1", text = "fixed" });

        Assert.Equal(HttpStatusCode.Forbidden, status);
        Assert.Equal("edit_window_passed", (string?)body!["code"]);
        Assert.Equal("typo", (string?)Assert.Single(await server.Api.HistoryAsync(bob, chat))["text"]);
    }
}
