using Watchdog.Rules;

namespace Watchdog.Configuration;

/// <summary>A policy file read: the compiled policy when it is valid, and every error found in it.</summary>
internal sealed record PolicyParseResult(CompiledPolicy? Policy, IReadOnlyList<ConfigError> Errors);
