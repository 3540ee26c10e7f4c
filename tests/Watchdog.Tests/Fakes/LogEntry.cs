using Microsoft.Extensions.Logging;

namespace Watchdog.Tests.Fakes;

public sealed record LogEntry(LogLevel Level, int EventId, string Message, IReadOnlyDictionary<string, object?> Fields, Exception? Exception);
