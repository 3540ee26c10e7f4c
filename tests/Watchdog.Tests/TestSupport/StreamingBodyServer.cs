using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Text;

namespace Watchdog.Tests.TestSupport;

/// <summary>
/// A small HTTP/1.1 server on a raw socket at 127.0.0.1 (a free port) that answers every request with a huge, slow
/// or endless body, and counts the bytes the client let it send. A raw socket rather than Kestrel, because Kestrel
/// quietly accepts writes after the client has gone: here a send to a closed connection fails, so the count shows
/// whether a client read a body whole or stopped at its limit. An endless body stops when the client goes, or after
/// <see cref="SafetyStop"/>.
/// </summary>
public sealed class StreamingBodyServer : IAsyncDisposable
{
    private static readonly TimeSpan SafetyStop = TimeSpan.FromMinutes(2);

    private readonly TcpListener _listener = new(IPAddress.Loopback, 0);
    private readonly CancellationTokenSource _stop = new();
    private readonly StreamedAnswer _answer;
    private readonly Task _accepting;
    private readonly List<Task> _connections = [];
    private long _sent;
    private int _requests;
    private int _finished;

    private StreamingBodyServer(StreamedAnswer answer)
    {
        _answer = answer;
        _listener.Start();
        BaseUrl = new Uri($"http://127.0.0.1:{((IPEndPoint)_listener.LocalEndpoint).Port}/");
        _accepting = AcceptAsync();
    }

    public Uri BaseUrl { get; }

    /// <summary>Body bytes the connection accepted so far, over all requests.</summary>
    public long BytesSent => Interlocked.Read(ref _sent);

    public int Requests => Volatile.Read(ref _requests);

    /// <summary>Answers whose body ended, whether sent whole or cut off by the client.</summary>
    public int Finished => Volatile.Read(ref _finished);

    public static Task<StreamingBodyServer> StartAsync(StreamedAnswer answer) => Task.FromResult(new StreamingBodyServer(answer));

    public Uri Url(string path) => new(BaseUrl, path);

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        _listener.Stop();
        await _accepting;
        Task[] connections;
        lock (_connections)
        {
            connections = [.. _connections];
        }

        await Task.WhenAll(connections).WaitAsync(TimeSpan.FromSeconds(10));
        _stop.Dispose();
    }

    private async Task AcceptAsync()
    {
        while (!_stop.IsCancellationRequested)
        {
            Socket socket;
            try
            {
                socket = await _listener.AcceptSocketAsync(_stop.Token);
            }
            catch (Exception exception) when (exception is OperationCanceledException or SocketException or ObjectDisposedException)
            {
                return; // stopped
            }

            lock (_connections)
            {
                _connections.Add(AnswerAsync(socket));
            }
        }
    }

    private async Task AnswerAsync(Socket socket)
    {
        using var safety = CancellationTokenSource.CreateLinkedTokenSource(_stop.Token);
        safety.CancelAfter(SafetyStop);
        try
        {
            // A small send buffer, so that what the kernel holds for a client that stopped reading stays small.
            socket.SendBufferSize = 64 * 1024;
            await using var stream = new NetworkStream(socket, ownsSocket: true);
            await ReadRequestAsync(stream, safety.Token);
            Interlocked.Increment(ref _requests);
            await stream.WriteAsync(Encoding.ASCII.GetBytes(Head()), safety.Token);
            var prefix = Encoding.UTF8.GetBytes(_answer.Prefix);
            await stream.WriteAsync(prefix, safety.Token);
            Interlocked.Add(ref _sent, prefix.Length);
            var filler = Enumerable.Repeat((byte)' ', _answer.ChunkSize).ToArray();
            for (var left = (_answer.Length ?? long.MaxValue) - prefix.Length; left > 0; left -= filler.Length)
            {
                var size = (int)Math.Min(left, filler.Length);
                await stream.WriteAsync(filler.AsMemory(0, size), safety.Token);
                Interlocked.Add(ref _sent, size);
                if (_answer.Pause > TimeSpan.Zero)
                {
                    await Task.Delay(_answer.Pause, safety.Token);
                }
            }
        }
        catch (Exception exception) when (exception is OperationCanceledException or IOException or SocketException)
        {
            // The client stopped reading and closed the connection (what a bounded reader does), or the server stopped.
        }
        finally
        {
            Interlocked.Increment(ref _finished);
        }
    }

    // The body ends when the connection closes, unless its length is declared.
    private string Head()
    {
        var head = new StringBuilder().Append(CultureInfo.InvariantCulture, $"HTTP/1.1 {_answer.Status} Answer\r\nContent-Type: {_answer.ContentType}\r\nConnection: close\r\n");
        if (_answer.DeclareLength && _answer.Length is { } length)
        {
            head.Append(CultureInfo.InvariantCulture, $"Content-Length: {length}\r\n");
        }

        return head.Append("\r\n").ToString();
    }

    // Reads the request line, headers and body (by Content-Length, or chunked up to its last chunk), so that closing
    // the connection later sends no reset for unread request bytes.
    private static async Task ReadRequestAsync(NetworkStream stream, CancellationToken cancellationToken)
    {
        var received = new List<byte>();
        var buffer = new byte[8192];
        int headEnd;
        while ((headEnd = IndexOf(received, "\r\n\r\n"u8)) < 0)
        {
            var read = await stream.ReadAsync(buffer, cancellationToken);
            if (read == 0 || received.Count > 64 * 1024)
            {
                throw new IOException("the request ended before its headers");
            }

            received.AddRange(buffer.AsSpan(0, read));
        }

        var head = Encoding.ASCII.GetString([.. received.Take(headEnd)]).ToLowerInvariant();
        var lengthLine = head.Split("\r\n").FirstOrDefault(l => l.StartsWith("content-length:", StringComparison.Ordinal));
        var chunked = head.Contains("transfer-encoding: chunked", StringComparison.Ordinal);
        var bodyLength = lengthLine is null ? 0 : long.Parse(lengthLine["content-length:".Length..].Trim(), CultureInfo.InvariantCulture);
        var body = received.Skip(headEnd + 4).ToList();
        while (chunked ? IndexOf(body, "0\r\n\r\n"u8) < 0 : body.Count < bodyLength)
        {
            var read = await stream.ReadAsync(buffer, cancellationToken);
            if (read == 0)
            {
                throw new IOException("the request ended before its body");
            }

            body.AddRange(buffer.AsSpan(0, read));
        }
    }

    private static int IndexOf(List<byte> bytes, ReadOnlySpan<byte> value) => bytes.Count < value.Length ? -1 : System.Runtime.InteropServices.CollectionsMarshal.AsSpan(bytes).IndexOf(value);
}
