namespace Watchdog.Tests.Configuration;

/// <summary><c>http.public_url</c>: the address people and the CLI reach the daemon at, by default <c>http.listen</c>.</summary>
public sealed class PublicUrlConfigTests : IDisposable
{
    private readonly ConfigScenario _scenario = new();

    public void Dispose() => _scenario.Dispose();

    [Theory]
    [InlineData("http://127.0.0.1:8080", "http://127.0.0.1:8080")]
    [InlineData("http://0.0.0.0:9000", "http://127.0.0.1:9000")]
    [InlineData("http://[::]:9000", "http://127.0.0.1:9000")]
    [InlineData("https://watchdog.internal:8443/", "https://watchdog.internal:8443")]
    public void Load_NoPublicUrl_TakesItFromListen(string listen, string expected)
    {
        var result = _scenario.Load($"http:\n  listen: \"{listen}\"\n" + ConfigSamples.Minimal);

        result.Errors.ShouldBeEmpty();
        result.Options!.Http.PublicUrl.ShouldBe(expected);
    }

    [Fact]
    public void Load_NoHttpSection_PublicUrlIsTheDefaultListenAddress()
    {
        var result = _scenario.Load(ConfigSamples.Minimal);

        result.Errors.ShouldBeEmpty();
        result.Options!.Http.PublicUrl.ShouldBe("http://127.0.0.1:8080");
    }

    [Fact]
    public void Load_PublicUrlSet_IsKeptWithoutItsTrailingSlash()
    {
        var result = _scenario.Load("http:\n  listen: http://0.0.0.0:8080\n  public_url: https://watchdog.example.com/ops/\n" + ConfigSamples.Minimal);

        result.Errors.ShouldBeEmpty();
        result.Options!.Http.PublicUrl.ShouldBe("https://watchdog.example.com/ops");
        result.Options.Http.Listen.ShouldBe("http://0.0.0.0:8080");
    }

    [Theory]
    [InlineData("watchdog.example.com", "http.public_url: 'watchdog.example.com' is not an absolute http:// or https:// URL")]
    [InlineData("ftp://watchdog.example.com", "http.public_url: 'ftp://watchdog.example.com' is not an absolute http:// or https:// URL")]
    [InlineData("https://watchdog.example.com/?x=1", "http.public_url: a query or fragment is refused: API paths are appended to this address")]
    [InlineData("https://ops:pw@watchdog.example.com", "http.public_url: a user name or password in the URL is refused")]
    public void Load_PublicUrlNotAnAbsoluteAddress_IsAnErrorAtItsLine(string value, string error)
    {
        var result = _scenario.Load($"http:\n  public_url: \"{value}\"\n" + ConfigSamples.Minimal);

        result.Errors.Select(e => e.ToString()).ShouldContain(e => e.StartsWith(_scenario.At(2, error), StringComparison.Ordinal));
    }
}
