using System.Text.Encodings.Web;
using System.Text.Json;

namespace Watchdog.Http;

/// <summary>How the HTTP API writes its JSON answers, so an error reads <c>got 'x'</c>, not <c>got \u0027x\u0027</c>.</summary>
internal static class ApiJson
{
    /// <summary>
    /// Escapes only what JSON itself needs (quotes, backslashes, control characters), not the characters that matter in
    /// HTML. Safe here because these bodies are only ever answers with <c>Content-Type: application/json; charset=utf-8</c>:
    /// a browser never renders that type as HTML (MIME sniffing leaves a declared JSON type alone) and no Watchdog
    /// page embeds them in a script. Never use it for text that goes into HTML.
    /// </summary>
    public static JavaScriptEncoder Encoder => JavaScriptEncoder.UnsafeRelaxedJsonEscaping;

    /// <summary>A copy of <paramref name="options"/> with <see cref="Encoder"/>, for a source-generated context's answers.</summary>
    public static JsonSerializerOptions Answering(JsonSerializerOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        return new JsonSerializerOptions(options) { Encoder = Encoder, TypeInfoResolver = null };
    }
}
