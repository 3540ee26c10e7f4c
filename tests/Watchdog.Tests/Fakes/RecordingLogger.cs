using System.Collections.Concurrent;
using Microsoft.Extensions.Logging;

namespace Watchdog.Tests.Fakes;

/// <summary>Keeps every log entry written to it, with its structured fields.</summary>
internal sealed class RecordingLogger<T> : ILogger<T>
{
    public ConcurrentQueue<LogEntry> Entries { get; } = new();

    public IDisposable? BeginScope<TState>(TState state)
        where TState : notnull => null;

    public bool IsEnabled(LogLevel logLevel) => true;

    public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
    {
        ArgumentNullException.ThrowIfNull(formatter);
        var fields = state as IEnumerable<KeyValuePair<string, object?>> ?? [];
        Entries.Enqueue(new LogEntry(logLevel, eventId.Id, formatter(state, exception), fields.ToDictionary(f => f.Key, f => f.Value), exception));
    }
}
