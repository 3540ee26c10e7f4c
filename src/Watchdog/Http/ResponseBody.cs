using System.Globalization;
using System.Text;

namespace Watchdog.Http;

/// <summary>
/// An HTTP answer's body, read as a stream and never past a limit: every answer Watchdog reads (Prometheus, health
/// endpoints, the Kubernetes API, notification receivers, webhook steps) comes through here, so that no server can
/// make the daemon hold more than its limit, however much it sends. An endless body ends at the caller's token.
/// </summary>
/// <param name="Bytes">The whole body; when <see cref="IsTooLarge"/>, at most its first chunk (for an excerpt).</param>
/// <param name="Limit">The limit it was read with.</param>
internal readonly record struct ResponseBody(ReadOnlyMemory<byte> Bytes, long Limit, bool IsTooLarge)
{
    // Below the large object heap's 85,000 bytes: a refused answer leaves only short-lived small arrays behind.
    private const int ChunkSize = 64 * 1024;

    /// <summary>"answer larger than 10 MiB": what a caller says when <see cref="IsTooLarge"/>.</summary>
    public string TooLargeError => $"answer larger than {Size(Limit)}";

    /// <summary>The bytes as UTF-8 text (a character cut at the end of an excerpt becomes U+FFFD).</summary>
    public string Text => Encoding.UTF8.GetString(Bytes.Span);

    /// <summary>
    /// Reads at most <paramref name="limit"/> bytes; one byte more, or a declared length above it, is
    /// <see cref="IsTooLarge"/> and the rest is never read. Throws only what the stream throws (a broken
    /// connection, <paramref name="cancellationToken"/>).
    /// </summary>
    public static async Task<ResponseBody> ReadAsync(HttpContent content, long limit, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(content);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(limit);
        if (content.Headers.ContentLength > limit)
        {
            return new ResponseBody(ReadOnlyMemory<byte>.Empty, limit, IsTooLarge: true);
        }

        await using var stream = await content.ReadAsStreamAsync(cancellationToken);
        var chunks = new List<byte[]>();
        // Sized to the declared length (one byte over, to see the end without another chunk) when there is one.
        var chunk = new byte[(int)Math.Min(Math.Min(content.Headers.ContentLength ?? ChunkSize, limit) + 1, ChunkSize)];
        var filled = 0;
        long total = 0;
        while (true)
        {
            if (filled == chunk.Length)
            {
                chunks.Add(chunk);
                chunk = new byte[ChunkSize];
                filled = 0;
            }

            var read = await stream.ReadAsync(chunk.AsMemory(filled), cancellationToken);
            if (read == 0)
            {
                break;
            }

            filled += read;
            total += read;
            if (total > limit)
            {
                var (first, length) = chunks.Count > 0 ? (chunks[0], chunks[0].Length) : (chunk, filled);
                return new ResponseBody(first.AsMemory(0, (int)Math.Min(limit, length)), limit, IsTooLarge: true);
            }
        }

        return new ResponseBody(Join(chunks, chunk, filled, total), limit, IsTooLarge: false);
    }

    /// <summary>A byte count as people write limits: 10 MiB, 64 KiB, 1500 bytes.</summary>
    public static string Size(long bytes) => bytes switch
    {
        >= 1024 * 1024 when bytes % (1024 * 1024) == 0 => string.Create(CultureInfo.InvariantCulture, $"{bytes / (1024 * 1024)} MiB"),
        >= 1024 when bytes % 1024 == 0 => string.Create(CultureInfo.InvariantCulture, $"{bytes / 1024} KiB"),
        _ => string.Create(CultureInfo.InvariantCulture, $"{bytes} bytes"),
    };

    private static ReadOnlyMemory<byte> Join(List<byte[]> chunks, byte[] last, int filled, long total)
    {
        if (chunks.Count == 0)
        {
            return last.AsMemory(0, filled);
        }

        var whole = new byte[total];
        var at = 0;
        foreach (var full in chunks)
        {
            full.CopyTo(whole, at);
            at += full.Length;
        }

        last.AsSpan(0, filled).CopyTo(whole.AsSpan(at));
        return whole;
    }
}
