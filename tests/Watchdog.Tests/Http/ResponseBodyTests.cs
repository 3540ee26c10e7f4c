using Watchdog.Http;
using Watchdog.Tests.TestSupport;

namespace Watchdog.Tests.Http;

public sealed class ResponseBodyTests : IDisposable
{
    private const long MiB = 1024 * 1024;

    private readonly HttpClient _http = new() { Timeout = Timeout.InfiniteTimeSpan };

    public void Dispose() => _http.Dispose();

    [Theory]
    [InlineData(10, false)]
    [InlineData(200 * 1024 + 17, false)]
    [InlineData(200 * 1024 + 17, true)]
    [InlineData(1024 * 1024, true)]
    public async Task ReadAsync_BodyWithinTheLimit_IsReadWhole(long length, bool declared)
    {
        await using var server = await StreamingBodyServer.StartAsync(new StreamedAnswer(length, DeclareLength: declared, Prefix: "{\"status\"", ChunkSize: 10_000));

        var body = await ReadAsync(server, MiB);

        body.IsTooLarge.ShouldBeFalse();
        body.Bytes.Length.ShouldBe((int)length);
        body.Text.ShouldStartWith("{\"status\"");
        body.Text.Trim().ShouldBe("{\"status\"");
    }

    [Fact]
    public async Task ReadAsync_ChunkedBodyOverTheLimit_StopsAtTheLimitAndNeverTakesTheRest()
    {
        await using var server = await StreamingBodyServer.StartAsync(new StreamedAnswer(200 * MiB, Prefix: "first bytes"));

        var body = await ReadAsync(server, MiB);

        body.IsTooLarge.ShouldBeTrue();
        body.TooLargeError.ShouldBe("answer larger than 1 MiB");
        body.Text.ShouldStartWith("first bytes");
        body.Bytes.Length.ShouldBeLessThanOrEqualTo((int)MiB);
        await Eventually.HoldsAsync(() => server.Finished == 1, "the server stopped sending");
        server.BytesSent.ShouldBeLessThan(100 * MiB, "the connection was closed long before the body's end");
    }

    [Fact]
    public async Task ReadAsync_DeclaredLengthOverTheLimit_IsTooLargeWithoutReadingIt()
    {
        await using var server = await StreamingBodyServer.StartAsync(new StreamedAnswer(2 * MiB, DeclareLength: true));

        var body = await ReadAsync(server, 64 * 1024);

        body.IsTooLarge.ShouldBeTrue();
        body.Bytes.Length.ShouldBe(0);
        body.TooLargeError.ShouldBe("answer larger than 64 KiB");
    }

    [Fact]
    public async Task ReadAsync_BodyOneByteOverTheLimit_IsTooLarge()
    {
        await using var server = await StreamingBodyServer.StartAsync(new StreamedAnswer(1025));

        var body = await ReadAsync(server, 1024);

        body.IsTooLarge.ShouldBeTrue();
        body.Bytes.Length.ShouldBe(1024);
    }

    [Fact]
    public async Task ReadAsync_EndlessSlowBody_EndsWhenTheCallersTokenDoes()
    {
        await using var server = await StreamingBodyServer.StartAsync(new StreamedAnswer(null, Pause: TimeSpan.FromMilliseconds(20), ChunkSize: 100));
        using var deadline = new CancellationTokenSource(TimeSpan.FromMilliseconds(500));

        await Should.ThrowAsync<OperationCanceledException>(async () =>
        {
            using var response = await _http.GetAsync(server.Url("/"), HttpCompletionOption.ResponseHeadersRead, deadline.Token);
            await ResponseBody.ReadAsync(response.Content, 10 * MiB, deadline.Token);
        });
        await Eventually.HoldsAsync(() => server.Finished == 1, "the endless answer was cut off");
    }

    [Theory]
    [InlineData(10 * 1024 * 1024, "10 MiB")]
    [InlineData(64 * 1024, "64 KiB")]
    [InlineData(1500, "1500 bytes")]
    [InlineData(1536 * 1024, "1536 KiB")]
    public void Size_IsWrittenAsLimitsAreWritten(long bytes, string expected) => ResponseBody.Size(bytes).ShouldBe(expected);

    [Collection(MemoryMeasuredTests.Name)]
    public sealed class Memory : IDisposable
    {
        private readonly HttpClient _http = new() { Timeout = Timeout.InfiniteTimeSpan };

        public void Dispose() => _http.Dispose();

        [Fact]
        public async Task ReadAsync_TwoHundredMegabyteBody_AllocatesLittleMoreThanTheLimit()
        {
            await using var server = await StreamingBodyServer.StartAsync(new StreamedAnswer(200 * MiB));
            ResponseBody body = default;

            var allocated = await MemoryMeasuredTests.AllocatedDuringAsync(async () =>
            {
                using var response = await _http.GetAsync(server.Url("/"), HttpCompletionOption.ResponseHeadersRead);
                body = await ResponseBody.ReadAsync(response.Content, MiB, CancellationToken.None);
            });

            body.IsTooLarge.ShouldBeTrue();
            allocated.ShouldBeLessThan(8 * MiB, $"allocated {allocated / MiB} MiB reading a 200 MiB body with a 1 MiB limit");
        }
    }

    private async Task<ResponseBody> ReadAsync(StreamingBodyServer server, long limit)
    {
        using var response = await _http.GetAsync(server.Url("/"), HttpCompletionOption.ResponseHeadersRead);
        return await ResponseBody.ReadAsync(response.Content, limit, CancellationToken.None);
    }
}
