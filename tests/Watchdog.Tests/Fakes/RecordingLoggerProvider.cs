using Microsoft.Extensions.Logging;

namespace Watchdog.Tests.Fakes;

/// <summary>Records what every category logs (the framework's too) into one <see cref="RecordingLogger{T}"/>.</summary>
internal sealed class RecordingLoggerProvider : ILoggerProvider
{
    public RecordingLogger<RecordingLoggerProvider> Logger { get; } = new();

    public ILogger CreateLogger(string categoryName) => Logger;

    public void Dispose()
    {
    }
}
