using Watchdog.Configuration;

namespace Watchdog.Signals;

/// <summary>One signal of one target, asked of a source in a cycle.</summary>
internal sealed record SignalRequest(TargetOptions Target, string Signal);
