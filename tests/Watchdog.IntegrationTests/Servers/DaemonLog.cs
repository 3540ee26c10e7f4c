using System.Globalization;
using System.Text;

namespace Watchdog.IntegrationTests.Servers;

/// <summary>
/// What a <see cref="DaemonProcess"/> wrote, byte for byte as text (a CR, an ESC or a NUL in a log line stays what it
/// was, so a test can look for it), standard output and error interleaved as they came, with the harness's own notes
/// (<c>[test] ... started PID ...</c>) on lines of their own.
/// </summary>
public sealed class DaemonLog
{
    private readonly StringBuilder _text = new();
    private readonly Lock _gate = new();

    public string Text
    {
        get
        {
            lock (_gate)
            {
                return _text.ToString();
            }
        }
    }

    public void Note(string what)
    {
        lock (_gate)
        {
            if (_text.Length > 0 && _text[^1] != '\n')
            {
                _text.Append('\n');
            }

            _text.Append(CultureInfo.InvariantCulture, $"[test] {TimeProvider.System.GetUtcNow():HH:mm:ss.fff} {what}\n");
        }
    }

    /// <summary>Appends what <paramref name="stream"/> carries until it ends (the process exited or was killed).</summary>
    public async Task CopyAsync(Stream stream)
    {
        ArgumentNullException.ThrowIfNull(stream);
        var decoder = Encoding.UTF8.GetDecoder();
        var bytes = new byte[8192];
        var chars = new char[Encoding.UTF8.GetMaxCharCount(bytes.Length)];
        int read;
        while ((read = await stream.ReadAsync(bytes)) > 0)
        {
            var count = decoder.GetChars(bytes, 0, read, chars, 0);
            lock (_gate)
            {
                _text.Append(chars, 0, count);
            }
        }
    }
}
