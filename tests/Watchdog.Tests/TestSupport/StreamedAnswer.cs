namespace Watchdog.Tests.TestSupport;

/// <summary>What a <see cref="StreamingBodyServer"/> answers every request with.</summary>
/// <param name="Length">The body's size in bytes; null for a body that never ends.</param>
/// <param name="DeclareLength">Send a Content-Length header (else the body is chunked, its size unknown up front).</param>
/// <param name="Pause">How long to wait between two chunks: a slow body.</param>
/// <param name="Prefix">The body's first bytes (e.g. the start of a JSON document); the rest is spaces.</param>
public sealed record StreamedAnswer(
    long? Length,
    int Status = 200,
    string ContentType = "application/json",
    bool DeclareLength = false,
    TimeSpan Pause = default,
    string Prefix = "",
    int ChunkSize = 64 * 1024);
