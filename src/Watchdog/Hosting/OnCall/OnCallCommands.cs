using System.CommandLine;
using System.Globalization;
using System.Net;
using System.Text.Json;
using Watchdog.Configuration;

namespace Watchdog.Hosting.OnCall;

/// <summary>
/// The on-call verbs over the daemon's HTTP API: <c>status</c>, <c>incidents [ID] [--md]</c>, <c>approvals</c>,
/// <c>approve ID</c> and <c>reject ID</c>. Each calls one endpoint of <c>--server</c> (default: the configuration's
/// <c>http.public_url</c>) with the token of <c>--token-file</c> or <c>WATCHDOG_TOKEN</c>, and prints a table, or
/// with <c>--json</c> the answer as it came. Exit codes: 0 success, 1 the API refused (its status in words and its
/// error on standard error), 2 the API could not be asked.
/// </summary>
internal sealed class OnCallCommands(Option<string> config, Func<string, ConfigLoadResult> loadConfig, Func<string, string?> environment)
{
    public const int Refused = 1;
    public const int NotAsked = 2;

    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    private readonly Option<string?> _server = new("--server")
    {
        Description = "The daemon's address (default: http.public_url of --config)",
        HelpName = "URL",
    };

    private readonly Option<string?> _tokenFile = new("--token-file")
    {
        Description = $"A file holding the API token (default: the {OnCallServer.TokenVariable} environment variable)",
        HelpName = "FILE",
    };

    private readonly Option<bool> _json = new("--json") { Description = "Print the API's JSON answer as it came" };

    public IEnumerable<Command> Build()
    {
        var status = Verb("status", "Every target: its decision, signal values, open incident (and settling, when the daemon reports it); with several replicas, who leads");
        status.SetAction((parse, cancellationToken) =>
        {
            // With several replicas, a line first on who leads: a follower's targets carry no decisions of its own.
            string? leader = null;
            return CallAsync(
                parse,
                async client =>
                {
                    var ha = await client.GetAsync("api/v1/ha", null, cancellationToken);
                    leader = ha.Succeeded ? ApiAnswerText.Leader(ha.Body) : null;
                    return await client.GetAsync("api/v1/targets", null, cancellationToken);
                },
                (JsonElement targets) => leader + ApiAnswerText.Targets(targets));
        });
        yield return status;

        var id = new Argument<long?>("id") { Description = "An incident's id: show that incident's report", Arity = ArgumentArity.ZeroOrOne };
        var markdown = new Option<bool>("--md") { Description = "The incident's report as Markdown, as the API serves it" };
        var incidents = Verb("incidents", "Incidents, newest first; with an ID, that incident's summary and timeline, or its Markdown report");
        incidents.Add(id);
        incidents.Add(markdown);
        incidents.Validators.Add(result =>
        {
            if (result.GetValue(markdown) && result.GetValue(id) is null)
            {
                result.AddError("--md needs an incident ID");
            }
            else if (result.GetValue(markdown) && result.GetValue(_json))
            {
                result.AddError("--md and --json exclude each other");
            }
        });
        incidents.SetAction((parse, cancellationToken) => parse.GetValue(id) switch
        {
            null => CallAsync(parse, client => client.GetAsync("api/v1/incidents", null, cancellationToken), ApiAnswerText.Incidents),
            { } incident when parse.GetValue(markdown) => CallAsync(parse, client => client.GetAsync(Path("api/v1/incidents/{0}?format=md", incident), null, cancellationToken), body => body),
            { } incident => CallAsync(parse, client => client.GetAsync(Path("api/v1/incidents/{0}", incident), null, cancellationToken), ApiAnswerText.Incident),
        });
        yield return incidents;

        var all = new Option<bool>("--all") { Description = "Every approval request, decided ones too (default: the pending ones)" };
        var approvals = Verb("approvals", "Approval requests waiting for a decision (token needed)");
        approvals.Add(all);
        approvals.SetAction((parse, cancellationToken) =>
            CallAsync(parse, client => client.GetAsync(parse.GetValue(all) ? "api/v1/approvals" : "api/v1/approvals?status=pending", null, cancellationToken), ApiAnswerText.Approvals));
        yield return approvals;

        yield return Decide("approve", "Approve a pending approval request: its run goes ahead (token of the required role or above)");
        yield return Decide("reject", "Reject a pending approval request: its run does not happen (token of the required role or above)");
    }

    private Command Decide(string verb, string description)
    {
        var id = new Argument<long>("id") { Description = "The approval's id (see watchdog approvals)" };
        var comment = new Option<string?>("--comment") { Description = "Why, recorded with the decision", HelpName = "TEXT" };
        var command = Verb(verb, description);
        command.Add(id);
        command.Add(comment);
        command.SetAction((parse, cancellationToken) =>
        {
            var text = parse.GetValue(comment);
            var body = text is null ? null : JsonSerializer.Serialize(new { comment = text }, Json);
            return CallAsync(parse, client => client.PostJsonAsync(Path("api/v1/approvals/{0}/" + verb, parse.GetValue(id)), body, cancellationToken), ApiAnswerText.Decided);
        });
        return command;
    }

    private Command Verb(string name, string description) => new(name, description) { _server, _tokenFile, _json, config };

    private async Task<int> CallAsync(ParseResult parse, Func<WatchdogApiClient, Task<ApiAnswer>> call, Func<JsonElement, string> text) =>
        await CallAsync(parse, call, body =>
        {
            using var document = JsonDocument.Parse(body);
            return text(document.RootElement);
        });

    private async Task<int> CallAsync(ParseResult parse, Func<WatchdogApiClient, Task<ApiAnswer>> call, Func<string, string> text)
    {
        var output = parse.InvocationConfiguration.Output;
        var error = parse.InvocationConfiguration.Error;
        var (server, problem) = OnCallServer.Resolve(parse.GetValue(_server), () => PublicUrl(parse), parse.GetValue(_tokenFile), environment);
        if (server is null)
        {
            await error.WriteLineAsync($"watchdog: {problem}");
            return NotAsked;
        }

        using var client = new WatchdogApiClient(server);
        var answer = await call(client);
        if (answer.Status is null)
        {
            await error.WriteLineAsync($"watchdog: {answer.Failure}");
            return NotAsked;
        }

        var json = parse.GetValue(_json);
        if (!answer.Succeeded)
        {
            if (json)
            {
                await output.WriteLineAsync(answer.Body);
            }

            await error.WriteLineAsync($"watchdog: {Refusal(answer, server)}");
            return Refused;
        }

        string shown;
        try
        {
            shown = json ? answer.Body : text(answer.Body);
        }
        catch (JsonException exception)
        {
            await error.WriteLineAsync($"watchdog: {server.BaseAddress} answered {(int)answer.Status} with something other than the API's JSON ({exception.Message}); is --server a Watchdog daemon?");
            return NotAsked;
        }

        await output.WriteAsync(shown.EndsWith('\n') ? shown : shown + "\n");
        return 0;
    }

    private (string? Url, string? Error) PublicUrl(ParseResult parse)
    {
        var path = parse.GetValue(config) ?? WatchdogCli.DefaultConfigPath;
        var loaded = loadConfig(path);
        return loaded.IsValid
            ? (loaded.Options!.Http.PublicUrl, null)
            : (null, $"no --server given, and {path} has {loaded.Errors.Count} error(s) to take http.public_url from (see watchdog validate --config {path})");
    }

    /// <summary>The status in words and the API's own error line; a 401 also says where the token comes from.</summary>
    private static string Refusal(ApiAnswer answer, OnCallServer server)
    {
        var status = (int)answer.Status!.Value;
        var words = answer.Status switch
        {
            HttpStatusCode.BadRequest => "bad request",
            HttpStatusCode.Unauthorized => "unauthorized",
            HttpStatusCode.Forbidden => "forbidden",
            HttpStatusCode.NotFound => "not found",
            HttpStatusCode.Conflict => "conflict",
            HttpStatusCode.InternalServerError => "server error",
            HttpStatusCode.ServiceUnavailable => "unavailable",
            var other => other.ToString(),
        };
        var message = ErrorOf(answer.Body);
        var hint = answer.Status == HttpStatusCode.Unauthorized
            ? server.Token is null
                ? $" (no token given: set {OnCallServer.TokenVariable} or --token-file)"
                : $" (the token of {OnCallServer.TokenVariable} or --token-file is not one of http.tokens)"
            : "";
        return $"{status} {words}: {message}{hint}";
    }

    private static string ErrorOf(string body)
    {
        try
        {
            using var document = JsonDocument.Parse(body);
            if (document.RootElement.ValueKind == JsonValueKind.Object && document.RootElement.TryGetProperty("error", out var error) && error.ValueKind == JsonValueKind.String)
            {
                return LogTextEscaping.Escape(error.GetString()!);
            }
        }
        catch (JsonException)
        {
            // Not the API's error JSON (a proxy's page): quote its start instead.
        }

        var start = body.Length > 200 ? body[..200] + "..." : body;
        return LogTextEscaping.Escape(start.Trim());
    }

    private static string Path(string format, long? id) => string.Format(CultureInfo.InvariantCulture, format, id);
}
