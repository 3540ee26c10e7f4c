using Watchdog.Rules;

namespace Watchdog.Configuration;

/// <summary>Reads a policy YAML file into a <see cref="Rules.CompiledPolicy"/>, collecting every error with its path and line.</summary>
internal static class PolicyFileParser
{
    /// <param name="path">The file to read.</param>
    /// <param name="displayPath">How errors name the file (as the user wrote it); defaults to <paramref name="path"/>.</param>
    public static PolicyParseResult ParseFile(string path, string? displayPath = null)
    {
        var shown = displayPath ?? path;
        string text;
        try
        {
            text = File.ReadAllText(path);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            return new PolicyParseResult(null, [new ConfigError(shown, null, "", $"cannot read policy file: {ex.Message}")]);
        }

        return Parse(text, shown);
    }

    /// <summary>Parses policy YAML held in memory; <paramref name="fileName"/> is used in error messages.</summary>
    public static PolicyParseResult Parse(string yaml, string fileName)
    {
        if (YamlText.Load(new StringReader(yaml), fileName, out var syntaxError) is not { } stream)
        {
            return new PolicyParseResult(null, [syntaxError!]);
        }

        if (stream.Documents.Count != 1)
        {
            return new PolicyParseResult(null, [new ConfigError(fileName, null, "", $"expected one YAML document, found {stream.Documents.Count}")]);
        }

        var reader = new PolicyYamlReader(fileName);
        var definition = reader.Read(stream.Documents[0].RootNode);
        return definition is null
            ? new PolicyParseResult(null, reader.Errors, reader.Name)
            : new PolicyParseResult(PolicyCompiler.Compile(definition), []);
    }
}
