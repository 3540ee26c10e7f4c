using Watchdog.Configuration;
using Watchdog.Incidents.Approvals;
using Watchdog.Rules;
using Watchdog.Tests.TestSupport;

namespace Watchdog.Tests.Incidents.Approvals;

public sealed class ApiTokenAuthenticatorTests
{
    private static readonly ApiTokenAuthenticator Tokens = ApiTokenAuthenticator.Create(
    [
        new ApiTokenOptions { Name = "pager", Role = Authority.OnCall, Token = "oncall-secret-1" },
        new ApiTokenOptions { Name = "lead", Role = Authority.TeamLead, Token = "lead-secret-2" },
    ]);

    [Theory]
    [InlineData("Bearer oncall-secret-1", "pager", Authority.OnCall)]
    [InlineData("Bearer lead-secret-2", "lead", Authority.TeamLead)]
    [InlineData("bearer  lead-secret-2 ", "lead", Authority.TeamLead)]
    public void Authenticate_AConfiguredToken_ReturnsItsNameAndRole(string header, string name, object roleValue)
    {
        var role = (Authority)roleValue; // internal type: xunit passes it boxed
        Tokens.Authenticate(header).ShouldBe(new ApiCaller(name, role));
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("Bearer")]
    [InlineData("Bearer ")]
    [InlineData("lead-secret-2")]
    [InlineData("Basic lead-secret-2")]
    [InlineData("Bearer lead-secret-3")]
    [InlineData("Bearer lead-secret-2x")]
    [InlineData("Bearer LEAD-SECRET-2")]
    public void Authenticate_AMissingMalformedOrUnknownToken_ReturnsNull(string? header)
    {
        Tokens.Authenticate(header).ShouldBeNull();
    }

    [Fact]
    public void Create_ReadsTokenFilesAtOnceWithoutTheTrailingNewline()
    {
        using var directory = new TempDirectory();
        var file = directory.Write("cto.token", "cto-secret-3\n");

        var tokens = ApiTokenAuthenticator.Create([new ApiTokenOptions { Name = "cto", Role = Authority.Cto, TokenFile = file }]);
        File.Delete(file);

        tokens.Authenticate("Bearer cto-secret-3").ShouldBe(new ApiCaller("cto", Authority.Cto));
    }

    [Fact]
    public void Create_WithUnreadableOrEmptyTokens_ThrowsNamingEachBadEntryButNoSecret()
    {
        using var directory = new TempDirectory();
        var blank = directory.Write("blank.token", "  \n");

        var error = Should.Throw<InvalidOperationException>(() => ApiTokenAuthenticator.Create(
        [
            new ApiTokenOptions { Name = "good", Role = Authority.OnCall, Token = "good-secret-4" },
            new ApiTokenOptions { Name = "missing", Role = Authority.OnCall, TokenFile = Path.Combine(directory.Path, "nope.token") },
            new ApiTokenOptions { Name = "blank", Role = Authority.OnCall, TokenFile = blank },
        ]));

        error.Message.ShouldContain("'missing'");
        error.Message.ShouldContain("'blank'");
        error.Message.ShouldNotContain("'good'");
        error.Message.ShouldNotContain("good-secret-4");
    }
}
