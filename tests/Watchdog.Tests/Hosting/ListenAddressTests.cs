using Watchdog.Hosting;

namespace Watchdog.Tests.Hosting;

public sealed class ListenAddressTests
{
    [Theory]
    [InlineData("http://127.0.0.1:8080", true)]
    [InlineData("http://127.3.0.1:8080", true)]
    [InlineData("http://localhost:8080", true)]
    [InlineData("http://[::1]:8080", true)]
    [InlineData("http://0.0.0.0:8080", false)]
    [InlineData("http://[::]:8080", false)]
    [InlineData("http://10.0.0.5:8080", false)]
    [InlineData("http://watchdog.internal:8080", false)]
    [InlineData("http://*:8080", false)]
    public void IsLoopback_OnlyThisMachine(string listen, bool loopback) =>
        ListenAddress.IsLoopback(listen).ShouldBe(loopback);
}
