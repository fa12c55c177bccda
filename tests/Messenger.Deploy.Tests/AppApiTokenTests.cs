using System.Text.Json.Nodes;
using System.Text.RegularExpressions;

namespace Messenger.Deploy.Tests;

/// <summary>
/// The app API token (sidecar → app, header <c>dapr-api-token</c>): daprd takes it from the secret named by
/// <c>dapr.io/app-token-secret</c> (Dapr's injector reads the key <c>token</c> of that secret into daprd's
/// <c>APP_API_TOKEN</c>), and the app container gets the same secret and key as its own <c>APP_API_TOKEN</c>.
/// </summary>
public sealed class AppApiTokenTests
{
    /// <summary>The key of the secret that Dapr's sidecar injector reads (pkg/injector/patcher/sidecar_container.go).</summary>
    private const string DaprTokenKey = "token";

    /// <summary>The env variable daprd reads the token from, and the app too.</summary>
    private const string TokenEnv = "APP_API_TOKEN";

    private readonly JsonObject values = ChartFiles.Values();

    private static string AppsTemplate => ChartFiles.Read("deploy", "helm", "messenger", "templates", "apps.yaml").Replace("\r\n", "\n", StringComparison.Ordinal);

    [Fact]
    public void The_sidecar_takes_the_token_from_the_secret_in_values()
    {
        Assert.Contains("dapr.io/app-token-secret: {{ $.Values.appApiToken.secretName | quote }}", AppsTemplate, StringComparison.Ordinal);
    }

    [Fact]
    public void The_app_container_reads_the_same_secret_and_key_as_APP_API_TOKEN()
    {
        var env = new Regex(
            $@"- name: {TokenEnv}\n\s+valueFrom:\n\s+secretKeyRef:\n\s+name: \{{\{{ \$\.Values\.appApiToken\.secretName \}}\}}\n\s+key: \{{\{{ \$\.Values\.appApiToken\.secretKey \}}\}}\n");

        Assert.Matches(env, AppsTemplate);
    }

    [Fact]
    public void Token_annotation_and_env_are_given_only_to_pods_with_a_sidecar()
    {
        var template = AppsTemplate;
        foreach (var marker in new[] { "dapr.io/app-token-secret:", $"- name: {TokenEnv}" })
        {
            var at = template.IndexOf(marker, StringComparison.Ordinal);
            var guard = template.LastIndexOf("{{- if not $app.noSidecar }}", at, StringComparison.Ordinal);

            Assert.True(guard >= 0, marker);
            Assert.DoesNotContain("{{- end }}", template[guard..at], StringComparison.Ordinal);
        }
    }

    [Fact]
    public void The_secret_key_is_the_one_the_Dapr_injector_reads()
    {
        Assert.Equal(DaprTokenKey, values["appApiToken"]!["secretKey"]!.GetValue<string>());
    }

    [Fact]
    public void The_readme_and_the_notes_tell_how_to_create_the_token_secret()
    {
        var secret = values["appApiToken"]!["secretName"]!.GetValue<string>();

        Assert.Contains($"create secret generic {secret} --from-literal={DaprTokenKey}=", ChartFiles.Read("deploy", "README.md"), StringComparison.Ordinal);
        Assert.Contains("{{ .Values.appApiToken.secretName }} (key {{ .Values.appApiToken.secretKey }})", ChartFiles.Read("deploy", "helm", "messenger", "templates", "NOTES.txt"), StringComparison.Ordinal);
    }
}
