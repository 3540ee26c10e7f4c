using YamlDotNet.Core;
using YamlDotNet.RepresentationModel;

namespace Watchdog.Configuration;

/// <summary>
/// Loads YAML into a <see cref="YamlStream"/>, turning every way YamlDotNet refuses it into one
/// <c>file:line: not valid YAML: ...</c> error, so that the config, policies and policy tests report syntax alike
/// and none of them ends in a stack trace.
/// </summary>
internal static class YamlText
{
    /// <returns>The documents, or null with <paramref name="error"/>.</returns>
    public static YamlStream? Load(TextReader yaml, string file, out ConfigError? error)
    {
        var scanner = new Scanner(yaml);
        var parser = new Parser(scanner);
        var stream = new YamlStream();
        try
        {
            stream.Load(parser);
            error = null;
            return stream;
        }
        catch (YamlException ex)
        {
            error = Invalid(file, ex.Start, Describe(ex));
        }
        catch (InvalidOperationException)
        {
            // YamlDotNet 16's scanner throws this, without a position or a useful message, where a '[' or '{' left
            // open meets a plain scalar at the start of a later line; the scanner stands on that line.
            error = Invalid(file, scanner.CurrentPosition, "a '[' or '{' opened before this line is not closed");
        }
        catch (ArgumentException ex) when (ex.ParamName == "parser")
        {
            // Its node builder throws this for a ':' with nothing before it (`- : x`), an event it does not expect; the
            // scanner has read ahead by then, the parser's event is the one refused (at that line or the next).
            error = Invalid(file, parser.Current?.Start ?? scanner.CurrentPosition, "a ':' without a key before it");
        }

        return null;
    }

    private static ConfigError Invalid(string file, Mark at, string message) =>
        new(file, checked((int)at.Line), "", $"not valid YAML: {message}");

    // YamlDotNet prefixes its messages with the position, which the error already carries.
    private static string Describe(YamlException ex)
    {
        var message = ex.InnerException is YamlException inner ? inner.Message : ex.Message;
        var closing = message.IndexOf("): ", StringComparison.Ordinal);
        return message.StartsWith("(Line:", StringComparison.Ordinal) && closing > 0 ? message[(closing + 3)..] : message;
    }
}
