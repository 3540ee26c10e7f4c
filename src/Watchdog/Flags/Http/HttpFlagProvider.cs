using System.Globalization;
using System.Text;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using Watchdog.Configuration;

namespace Watchdog.Flags.Http;

/// <summary>
/// A generic flag service (<c>kind: http</c>), the runbook's admin API by default (<see cref="HttpFlagApi"/>): a change
/// sends only the field it changes next to the flag's name (<c>{"feature":"checkout-v2","rollout_percentage":25}</c>,
/// <c>{"feature":"checkout-v2","enabled":false}</c>), so a reduction never switches a flag on by accident; a read
/// expects <c>{"enabled":true,"rollout_percentage":50}</c>, the percentage optional. The token goes as a bearer token.
/// </summary>
internal sealed class HttpFlagProvider(FlagProviderOptions options, IHttpClientFactory clients) : IFlagProvider, IFlagProviderPlugin
{
    /// <summary>The one strategy's name in the state this provider reads: the service has one percentage per flag.</summary>
    public const string RolloutStrategy = "rollout_percentage";

    private readonly FlagHttp _http = new(options, clients, token => "Bearer " + token);
    private readonly HttpFlagApi _api = HttpFlagApi.From(options.Parameters);

    public static string PluginName => "http";

    public static IReadOnlyList<string> ValidateParameters(IReadOnlyDictionary<string, string> parameters) => HttpFlagApi.Validate(parameters);

    public static IFlagProvider Create(FlagProviderOptions options, IServiceProvider services) =>
        new HttpFlagProvider(options, services.GetRequiredService<IHttpClientFactory>());

    public string Name => options.Name;

    public async Task<FlagState> ReadAsync(FlagRef flag, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(flag);
        var url = _http.UrlOf(HttpFlagApi.Expand(_api.ReadPath, flag.Flag));
        var body = await _http.SendAsync(HttpMethod.Get, url, json: null, _api.Headers, cancellationToken);
        const string Expected = "a JSON object with enabled (true or false) and rollout_percentage (a whole number 0-100, optional)";
        try
        {
            using var document = JsonDocument.Parse(body.Bytes);
            var root = document.RootElement;
            if (root.ValueKind != JsonValueKind.Object
                || !root.TryGetProperty(_api.EnabledField, out var enabled)
                || enabled.ValueKind is not (JsonValueKind.True or JsonValueKind.False))
            {
                throw _http.Garbage(HttpMethod.Get, url, Expected, body);
            }

            var strategies = new List<FlagStrategy>();
            if (root.TryGetProperty(_api.RolloutField, out var rollout) && rollout.ValueKind != JsonValueKind.Null)
            {
                if (rollout.ValueKind != JsonValueKind.Number || !rollout.TryGetInt32(out var percent) || percent is < 0 or > 100)
                {
                    throw _http.Garbage(HttpMethod.Get, url, Expected + $" ({_api.RolloutField} is {rollout.GetRawText()})", body);
                }

                strategies.Add(new FlagStrategy(RolloutStrategy, RolloutStrategy, percent));
            }

            return new FlagState(flag.Flag, flag.Environment ?? "", enabled.GetBoolean(), strategies);
        }
        catch (JsonException e)
        {
            throw _http.Garbage(HttpMethod.Get, url, Expected, body, e);
        }
    }

    public Task SetRolloutAsync(FlagRef flag, int percent, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(flag);
        if (percent is < 0 or > 100)
        {
            throw _http.Problem($"rollout percentage {percent.ToString(CultureInfo.InvariantCulture)} for {flag.Flag} is outside 0-100");
        }

        return WriteAsync(flag, _api.RolloutField, writer => writer.WriteNumberValue(percent), cancellationToken);
    }

    public Task SetEnabledAsync(FlagRef flag, bool enabled, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(flag);
        return WriteAsync(flag, _api.EnabledField, writer => writer.WriteBooleanValue(enabled), cancellationToken);
    }

    private async Task WriteAsync(FlagRef flag, string field, Action<Utf8JsonWriter> value, CancellationToken cancellationToken)
    {
        using var buffer = new MemoryStream();
        using (var writer = new Utf8JsonWriter(buffer))
        {
            writer.WriteStartObject();
            writer.WriteString(_api.FeatureField, flag.Flag);
            writer.WritePropertyName(field);
            value(writer);
            writer.WriteEndObject();
        }

        var url = _http.UrlOf(HttpFlagApi.Expand(_api.WritePath, flag.Flag));
        await _http.SendAsync(_api.Method, url, Encoding.UTF8.GetString(buffer.ToArray()), _api.Headers, cancellationToken);
    }
}
