namespace Watchdog.TestSupport;

internal sealed record FakeApiRequest(string Method, string Path, string Query, string? ContentType, string? Authorization, string Body);
