using System.Net;

namespace Watchdog.Tests.Signals.Alerts;

/// <summary>A body sent without Content-Length (chunked), 4 KiB at a time, so the server learns its size only by reading it.</summary>
internal sealed class ChunkedContent(byte[] bytes) : HttpContent
{
    public int ChunksWritten { get; private set; }

    protected override async Task SerializeToStreamAsync(Stream stream, TransportContext? context)
    {
        for (var offset = 0; offset < bytes.Length; offset += 4096)
        {
            await stream.WriteAsync(bytes.AsMemory(offset, Math.Min(4096, bytes.Length - offset)));
            await stream.FlushAsync();
            ChunksWritten++;
        }
    }

    protected override bool TryComputeLength(out long length)
    {
        length = 0;
        return false;
    }
}
