using Watchdog.Secrets;

namespace Watchdog.Tests.Secrets;

public sealed class RedactionTests
{
    [Theory]
    [InlineData("https://probe:s3cret@checkout.internal:8443/healthz?token=abc&verbose", "https://checkout.internal:8443/healthz?token=***&verbose")]
    [InlineData("http://ci.internal/job/restore?token=t0k&cause=watchdog", "http://ci.internal/job/restore?token=***&cause=***")]
    [InlineData("http://user@prometheus:9090/", "http://prometheus:9090/")]
    [InlineData("https://hooks.example.com/a/b", "https://hooks.example.com/a/b")]
    [InlineData("http://ci.internal/run?empty=&flag", "http://ci.internal/run?empty=***&flag")]
    [InlineData("http://ci.internal/run#access_token=xyz", "http://ci.internal/run#***")]
    public void Url_AbsoluteUrl_DropsTheUserInfoAndStarsTheQueryValues_KeepingTheirNames(string url, string shown)
    {
        Redaction.Url(url).ShouldBe(shown);
        Redaction.Url(new Uri(url)).ShouldBe(shown);
    }

    [Theory]
    [InlineData("not-a-url", "not-a-url")]
    [InlineData("ftp://admin:pw@files.internal/x?key=1", "ftp://files.internal/x?key=***")]
    [InlineData("//admin:pw@host:80/path?secret=1", "//host:80/path?secret=***")]
    [InlineData("/relative/path?token=abc", "/relative/path?token=***")]
    public void Url_TextThatIsNoHttpUrl_IsStillCutTheSameWay(string text, string shown) =>
        Redaction.Url(text).ShouldBe(shown);

    [Fact]
    public void Url_ShownTwice_IsTheSame() =>
        Redaction.Url(Redaction.Url("https://a:b@host/p?token=x")).ShouldBe("https://host/p?token=***");

    [Theory]
    [InlineData("token", true)]
    [InlineData("bearer_token_env", true)]
    [InlineData("password", true)]
    [InlineData("DB_PASSWORD", true)]
    [InlineData("client_secret", true)]
    [InlineData("api_key", true)]
    [InlineData("apiKey", true)]
    [InlineData("x-api-key", true)]
    [InlineData("Authorization", true)]
    [InlineData("data.SERVICE_TOKEN", true)]
    [InlineData("credentials_file", true)]
    [InlineData("url", false)]
    [InlineData("deployment", false)]
    [InlineData("data.CIRCUIT_BREAKER_ENABLED", false)]
    [InlineData("key", false)]
    public void IsSecretName_NamesThatLookLikeSecrets(string name, bool secret) =>
        Redaction.IsSecretName(name).ShouldBe(secret);

    [Fact]
    public void Parameters_SecretsAreStarred_UrlsRedacted_TheRestKept()
    {
        var shown = Redaction.Parameters(new Dictionary<string, string>(StringComparer.Ordinal)
        {
            ["url"] = "https://ci.internal/hook?token=t0k",
            ["api_key"] = "k3y",
            ["password"] = "pw",
            ["runbook"] = "restore-nightly",
        });

        shown.ShouldBe(new Dictionary<string, string>
        {
            ["url"] = "https://ci.internal/hook?token=***",
            ["api_key"] = "***",
            ["password"] = "***",
            ["runbook"] = "restore-nightly",
        });
    }

    [Fact]
    public void Restore_StoredRedacted_TakesTheRealValuesFromTheConfiguration()
    {
        var configured = new Dictionary<string, string>
        {
            ["url"] = "https://ci.internal/hook?token=t0k",
            ["api_key"] = "k3y",
            ["runbook"] = "restore-nightly",
        };

        var (real, missing) = Redaction.Restore(Redaction.Parameters(configured), configured);

        real.ShouldBe(configured);
        missing.ShouldBeEmpty();
    }

    [Fact]
    public void Restore_ConfigurationChangedSincePlanning_KeepsTheStoredValues_AndNamesTheSecretsItLacks()
    {
        var planned = Redaction.Parameters(new Dictionary<string, string> { ["url"] = "https://ci.internal/hook?token=old", ["api_key"] = "k3y", ["runbook"] = "a" });
        var now = new Dictionary<string, string> { ["url"] = "https://other.internal/hook", ["runbook"] = "b" };

        var (real, missing) = Redaction.Restore(planned, now);

        real["runbook"].ShouldBe("a", "the run goes by what was planned, not by a later edit");
        missing.ShouldBe(["url", "api_key"], ignoreOrder: true);
    }

    [Fact]
    public void Restore_WithoutAConfiguredStep_NamesEverySecret()
    {
        var planned = Redaction.Parameters(new Dictionary<string, string> { ["password"] = "pw", ["deployment"] = "web" });

        var (real, missing) = Redaction.Restore(planned, configured: null);

        real["deployment"].ShouldBe("web");
        missing.ShouldBe(["password"]);
    }
}
