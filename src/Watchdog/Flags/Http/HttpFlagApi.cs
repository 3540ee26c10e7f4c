using Watchdog.Configuration;

namespace Watchdog.Flags.Http;

/// <summary>
/// The shape of a generic flag service's admin API, from an <c>http</c> provider's parameters: which method and path
/// change a flag, which path reads it back, extra headers, and the JSON field names. The defaults are the runbook's
/// API: <c>PATCH /admin/features</c> with <c>{"feature","enabled","rollout_percentage"}</c>, <c>GET /features/{flag}</c>.
/// </summary>
internal sealed record HttpFlagApi(
    HttpMethod Method,
    string WritePath,
    string ReadPath,
    IReadOnlyDictionary<string, string> Headers,
    string FeatureField,
    string EnabledField,
    string RolloutField)
{
    public const string FlagPlaceholder = "{flag}";

    private static readonly string[] Keys = ["method", "write_path", "read_path", "headers", "fields"];
    private static readonly string[] Methods = ["PATCH", "POST", "PUT"];
    private static readonly string[] Fields = ["feature", "enabled", "rollout_percentage"];

    public static HttpFlagApi From(IReadOnlyDictionary<string, string> parameters)
    {
        ArgumentNullException.ThrowIfNull(parameters);
        var headers = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        foreach (var (key, value) in parameters.Where(p => p.Key.StartsWith("headers.", StringComparison.Ordinal)))
        {
            headers[key["headers.".Length..]] = value;
        }

        return new HttpFlagApi(
            new HttpMethod(parameters.GetValueOrDefault("method", "PATCH").ToUpperInvariant()),
            parameters.GetValueOrDefault("write_path", "/admin/features"),
            parameters.GetValueOrDefault("read_path", "/features/" + FlagPlaceholder),
            headers,
            parameters.GetValueOrDefault("fields.feature", "feature"),
            parameters.GetValueOrDefault("fields.enabled", "enabled"),
            parameters.GetValueOrDefault("fields.rollout_percentage", "rollout_percentage"));
    }

    public static IReadOnlyList<string> Validate(IReadOnlyDictionary<string, string> parameters)
    {
        ArgumentNullException.ThrowIfNull(parameters);
        var problems = new List<string>();
        foreach (var (key, value) in parameters)
        {
            var top = key.Split('.', 2)[0];
            if (!Keys.Contains(top, StringComparer.OrdinalIgnoreCase))
            {
                problems.Add($"{top}: unknown key for kind http{ConfigReader.DidYouMean(top, Keys)}");
            }
            else if (top is "method" or "write_path" or "read_path" && key.Contains('.', StringComparison.Ordinal))
            {
                problems.Add($"{top}: expected a single value");
            }
            else if (top == "fields" && !Fields.Contains(key["fields.".Length..], StringComparer.Ordinal))
            {
                var field = key.Length > "fields.".Length ? key["fields.".Length..] : "";
                problems.Add($"fields: unknown field '{field}' (expected {string.Join(", ", Fields)}){ConfigReader.DidYouMean(field, Fields)}");
            }
            else if (top == "fields" && value.Length == 0)
            {
                problems.Add($"fields: the name of {key["fields.".Length..]} must not be empty");
            }
            else if (top is "headers" or "fields" && !key.Contains('.', StringComparison.Ordinal))
            {
                problems.Add($"{top}: expected a mapping of name: value");
            }
            else if (top == "headers" && string.Equals(key, "headers.Authorization", StringComparison.OrdinalIgnoreCase))
            {
                problems.Add("headers: set the token with token, token_file or token_env, not an Authorization header (headers are shown, tokens never)");
            }
        }

        if (parameters.TryGetValue("method", out var method) && !Methods.Contains(method, StringComparer.OrdinalIgnoreCase))
        {
            problems.Add($"method: unknown value '{method}' (expected {string.Join(" or ", Methods)}){ConfigReader.DidYouMean(method, Methods)}");
        }

        foreach (var path in (string[])["write_path", "read_path"])
        {
            if (parameters.TryGetValue(path, out var value) && (!value.StartsWith('/') || value.Contains('?', StringComparison.Ordinal) || value.Contains('#', StringComparison.Ordinal)))
            {
                problems.Add($"{path}: '{value}' must be a path starting with / (no query), appended to url");
            }
        }

        if (parameters.TryGetValue("read_path", out var read) && !read.Contains(FlagPlaceholder, StringComparison.Ordinal))
        {
            problems.Add($"read_path: '{read}' must contain {FlagPlaceholder}, where the flag's name goes");
        }

        return problems;
    }

    /// <summary>A path with the flag's name in place of <c>{flag}</c>, escaped as one path segment.</summary>
    public static string Expand(string path, string flag) =>
        path.Replace(FlagPlaceholder, Uri.EscapeDataString(flag), StringComparison.Ordinal);
}
