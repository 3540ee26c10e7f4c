using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace Watchdog.Tests.Fakes;

/// <summary>Keeps the scope provider the logger factory hands its providers: the one the console logger formats with.</summary>
internal sealed class ScopeCapturingLoggerProvider : ILoggerProvider, ISupportExternalScope
{
    public IExternalScopeProvider? Scopes { get; private set; }

    public ILogger CreateLogger(string categoryName) => NullLogger.Instance;

    public void SetScopeProvider(IExternalScopeProvider scopeProvider) => Scopes = scopeProvider;

    public void Dispose()
    {
    }
}
