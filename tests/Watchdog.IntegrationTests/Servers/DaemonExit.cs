namespace Watchdog.IntegrationTests.Servers;

/// <summary>How a daemon verb run to its end (<see cref="DaemonProcess.RunToExitAsync"/>) ended.</summary>
/// <param name="ExitCode">Its exit code; null when it overran its time and was killed.</param>
/// <param name="Output">What it wrote on standard output.</param>
/// <param name="Errors">What it wrote on standard error.</param>
public sealed record DaemonExit(int? ExitCode, string Output, string Errors);
