using System.Diagnostics;
using System.Globalization;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Logging.Console;
using Microsoft.Extensions.Options;

namespace Watchdog.Hosting;

/// <summary>
/// The text console log (<c>logging.format: text</c>): an entry per line as the simple console formatter writes it in
/// single-line mode (<c>2026-01-01T00:00:00.000Z info: Category[571] message</c>), but with the message and exception
/// escaped by <see cref="LogTextEscaping"/>. Messages carry text from outside (alert labels, URLs, answers of probed
/// services), and the simple formatter writes it raw: an ESC drives the reader's terminal, a CR or NUL hides what came
/// before it. No colours: they are escape sequences too, and the log is mostly read from a pipe. An entry written
/// under a span says which, after the event id (<c>trace_id=… span_id=…</c>), so a line leads to its trace.
/// </summary>
internal sealed class TextLogFormatter(IOptionsMonitor<ConsoleFormatterOptions> options, TimeProvider time) : ConsoleFormatter(FormatterName)
{
    public const string FormatterName = "watchdog-text";

    public override void Write<TState>(in LogEntry<TState> logEntry, IExternalScopeProvider? scopeProvider, TextWriter textWriter)
    {
        ArgumentNullException.ThrowIfNull(textWriter);
        var message = logEntry.Formatter(logEntry.State, logEntry.Exception);
        if (string.IsNullOrEmpty(message) && logEntry.Exception is null)
        {
            return;
        }

        var settings = options.CurrentValue;
        if (settings.TimestampFormat is { } format)
        {
            var now = settings.UseUtcTimestamp ? time.GetUtcNow() : time.GetLocalNow();
            textWriter.Write(now.ToString(format, CultureInfo.InvariantCulture));
        }

        textWriter.Write(Level(logEntry.LogLevel));
        textWriter.Write(": ");
        LogTextEscaping.Write(textWriter, logEntry.Category);
        textWriter.Write('[');
        textWriter.Write(logEntry.EventId.Id.ToString(CultureInfo.InvariantCulture));
        textWriter.Write(']');

        // The console logger formats on the thread that logs, so the current span is the entry's own.
        if (Activity.Current is { } span)
        {
            textWriter.Write(" trace_id=");
            textWriter.Write(span.TraceId.ToHexString());
            textWriter.Write(" span_id=");
            textWriter.Write(span.SpanId.ToHexString());
        }

        if (!string.IsNullOrEmpty(message))
        {
            textWriter.Write(' ');
            LogTextEscaping.Write(textWriter, message);
        }

        if (logEntry.Exception is { } exception)
        {
            // A stack trace stays on the entry's line too: its newlines become \n like any other.
            textWriter.Write(' ');
            LogTextEscaping.Write(textWriter, exception.ToString());
        }

        textWriter.Write('\n');
    }

    private static string Level(LogLevel level) => level switch
    {
        LogLevel.Trace => "trce",
        LogLevel.Debug => "dbug",
        LogLevel.Information => "info",
        LogLevel.Warning => "warn",
        LogLevel.Error => "fail",
        LogLevel.Critical => "crit",
        _ => level.ToString().ToLowerInvariant(),
    };
}
