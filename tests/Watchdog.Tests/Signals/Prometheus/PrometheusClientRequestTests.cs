using System.Text;
using Watchdog.Tests.TestSupport;

namespace Watchdog.Tests.Signals.Prometheus;

/// <summary>What the client puts on the wire: method, query, time limit, credentials and custom headers.</summary>
public sealed class PrometheusClientRequestTests
{
    private const string Query = """sum(rate(http_requests_total{code=~"5..",deployment="checkout"}[1m])) / 2 + 1""";

    private static CancellationToken Ct => new CancellationTokenSource(TimeSpan.FromSeconds(30)).Token;

    [Fact]
    public async Task Query_Get_SendsThePromQlInTheQueryStringOfApiV1Query()
    {
        await using var stub = await PrometheusStub.StartAsync(StubAnswer.OneSeries("{}", "1"));
        var client = PrometheusTestClients.Create(stub.BaseUrl, configure: o => o with { Method = "GET" });

        await client.QueryAsync(Query, Ct);

        var sent = stub.Queries.Single();
        sent.Method.ShouldBe("GET");
        sent.Path.ShouldBe("/api/v1/query");
        sent.Query.ShouldBe(Query);
        sent.Timeout.ShouldBe("5000ms");
    }

    [Fact]
    public async Task Query_Post_SendsThePromQlAsAFormBody()
    {
        await using var stub = await PrometheusStub.StartAsync(StubAnswer.OneSeries("{}", "1"));
        var client = PrometheusTestClients.Create(stub.BaseUrl, configure: o => o with { Method = "POST" });

        await client.QueryAsync(Query, Ct);

        var sent = stub.Queries.Single();
        sent.Method.ShouldBe("POST");
        sent.ContentType.ShouldBe("application/x-www-form-urlencoded");
        sent.Query.ShouldBe(Query);
        sent.Timeout.ShouldBe("5000ms");
    }

    [Fact]
    public async Task Query_UrlWithAPathPrefix_KeepsThePrefix()
    {
        await using var stub = await PrometheusStub.StartAsync(StubAnswer.OneSeries("{}", "1"));
        var client = PrometheusTestClients.Create(new Uri(stub.BaseUrl, "/prometheus"));

        await client.QueryAsync("up", Ct);

        stub.Queries.Single().Path.ShouldBe("/prometheus/api/v1/query");
    }

    [Fact]
    public async Task Query_BearerToken_ArrivesAsAuthorizationHeader()
    {
        await using var stub = await PrometheusStub.StartAsync(StubAnswer.OneSeries("{}", "1"));
        var client = PrometheusTestClients.Create(stub.BaseUrl, configure: o => o with { BearerToken = "s3cret-token" });

        await client.QueryAsync("up", Ct);

        stub.Queries.Single().Headers["Authorization"].ShouldBe("Bearer s3cret-token");
    }

    [Fact]
    public async Task Query_BearerTokenFile_IsReadAtStartAndArrivesTrimmed()
    {
        using var folder = new TempDirectory();
        var file = Path.Combine(folder.Path, "token");
        await File.WriteAllTextAsync(file, "from-file-token\n", Ct);
        await using var stub = await PrometheusStub.StartAsync(StubAnswer.OneSeries("{}", "1"));
        var client = PrometheusTestClients.Create(stub.BaseUrl, configure: o => o with { BearerTokenFile = file });
        File.Delete(file);

        await client.QueryAsync("up", Ct);

        stub.Queries.Single().Headers["Authorization"].ShouldBe("Bearer from-file-token");
    }

    [Fact]
    public async Task Query_BasicAuth_ArrivesAsBase64Credentials()
    {
        await using var stub = await PrometheusStub.StartAsync(StubAnswer.OneSeries("{}", "1"));
        var client = PrometheusTestClients.Create(stub.BaseUrl, configure: o => o with { BasicUsername = "watchdog", BasicPassword = "pa:ss" });

        await client.QueryAsync("up", Ct);

        var header = stub.Queries.Single().Headers["Authorization"];
        header.ShouldStartWith("Basic ");
        Encoding.UTF8.GetString(Convert.FromBase64String(header["Basic ".Length..])).ShouldBe("watchdog:pa:ss");
    }

    [Fact]
    public async Task Query_CustomHeaders_Arrive()
    {
        await using var stub = await PrometheusStub.StartAsync(StubAnswer.OneSeries("{}", "1"));
        var client = PrometheusTestClients.Create(stub.BaseUrl, configure: o => o with
        {
            Headers = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase) { ["X-Scope-OrgID"] = "tenant-a", ["X-Extra"] = "1" },
        });

        await client.QueryAsync("up", Ct);

        var headers = stub.Queries.Single().Headers;
        headers["X-Scope-OrgID"].ShouldBe("tenant-a");
        headers["X-Extra"].ShouldBe("1");
        headers.ContainsKey("Authorization").ShouldBeFalse();
    }
}
