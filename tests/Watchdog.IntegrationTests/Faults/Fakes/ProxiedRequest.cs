namespace Watchdog.IntegrationTests.Faults.Fakes;

/// <summary>One request that reached <see cref="FaultingKubernetesProxy"/>, and what became of it.</summary>
/// <param name="Path">The path without its query.</param>
/// <param name="Query">The query string, with its <c>?</c>, or empty.</param>
/// <param name="Body">The request body (a PATCH's patch).</param>
/// <param name="Status">The status the caller got; null when it hung up first.</param>
/// <param name="Forwarded">Whether the API server received it (false when a fault answered or held it).</param>
public sealed record ProxiedRequest(DateTimeOffset At, string Method, string Path, string Query, string Body, int? Status, bool Forwarded);
