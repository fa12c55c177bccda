using Messenger.Core.Services;
using Messenger.Messages;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Hosting;

namespace Messenger.Dapr.Tests;

public sealed class PasswordPolicyConfigurationTests
{
    [Fact]
    public void Without_the_setting_new_hashes_get_the_full_rounds()
    {
        var builder = Builder(Environments.Production, iterations: null);

        Assert.Equal(PasswordHasher.Iterations, MessagesServiceExtensions.PasswordPolicyFrom(builder).Iterations);
    }

    [Fact]
    public void In_development_the_setting_lowers_the_rounds_for_a_load_test()
    {
        var builder = Builder(Environments.Development, iterations: "1000");

        Assert.Equal(1_000, MessagesServiceExtensions.PasswordPolicyFrom(builder).Iterations);
    }

    [Fact]
    public void Outside_development_the_setting_stops_the_host()
    {
        var builder = Builder(Environments.Production, iterations: "1000");

        Assert.Throws<InvalidOperationException>(() => MessagesServiceExtensions.PasswordPolicyFrom(builder));
    }

    private static HostApplicationBuilder Builder(string environment, string? iterations)
    {
        var builder = Host.CreateEmptyApplicationBuilder(new HostApplicationBuilderSettings { EnvironmentName = environment });
        if (iterations is not null)
        {
            builder.Configuration.AddInMemoryCollection([new(MessagesServiceExtensions.PasswordIterationsKey, iterations)]);
        }

        return builder;
    }
}
