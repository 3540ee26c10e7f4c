using Microsoft.AspNetCore.Http;

namespace Watchdog.IntegrationTests.Faults.Fakes;

/// <summary>Writes a large body of spaces in 1 MiB chunks, as fast as the reader takes them; stops when the reader hangs up.</summary>
internal static class LargeBody
{
    private static readonly byte[] Chunk = CreateChunk();

    public static async Task WriteAsync(HttpResponse response, long bytes, CancellationToken cancellationToken)
    {
        for (long written = 0; written < bytes; written += Chunk.Length)
        {
            await response.Body.WriteAsync(Chunk.AsMemory(0, (int)Math.Min(Chunk.Length, bytes - written)), cancellationToken);
        }
    }

    private static byte[] CreateChunk()
    {
        var chunk = new byte[1 << 20];
        Array.Fill(chunk, (byte)' ');
        return chunk;
    }
}
