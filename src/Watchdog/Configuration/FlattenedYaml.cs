namespace Watchdog.Configuration;

/// <summary>
/// A YAML document as configuration keys (<c>targets:0:policy</c>) with the line each key starts on.
/// <see cref="Error"/> is set when the text is not YAML, and then the keys are empty.
/// </summary>
internal sealed record FlattenedYaml(
    IReadOnlyDictionary<string, string?> Values,
    IReadOnlyDictionary<string, int> Lines,
    ConfigError? Error);
