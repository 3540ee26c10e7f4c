using Microsoft.Extensions.Logging;

namespace Watchdog.Tests.Fakes;

internal sealed record LogEntry(LogLevel Level, int EventId, string Message, IReadOnlyDictionary<string, object?> Fields, Exception? Exception);
