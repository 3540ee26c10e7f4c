using System.Net.Http.Json;
using Watchdog.Configuration;
using Watchdog.Http;
using Watchdog.Rules;
using Watchdog.Secrets;

using Watchdog.Plugins;

namespace Watchdog.Actions;

/// <summary>
/// POSTs a JSON description of the step to a URL: for what Watchdog does not do itself, e.g. a CI job that
/// runs <c>helm rollback</c> or a database restore. A 2xx answer is success. Not idempotent: the receiver may
/// start a job each time, so after a crash mid-call the step is reported, not repeated. An
/// <c>Idempotency-Key</c> header (run and step) lets receivers drop a duplicate if one ever arrives.
/// </summary>
internal sealed class WebhookAction(IHttpClientFactory clients) : IRollbackAction, IPlugin
{
    public const string HttpClientName = "watchdog-webhook-action";

    // Only an excerpt of the answer is kept; a receiver's answer is never read past this.
    private const long MaxAnswerBytes = 64 * 1024;

    private static readonly string[] Reserved = ["url", "method", "timeout", "bearer_token_env"];

    public static string PluginName => "webhook";

    public string Name => PluginName;

    public bool IsIdempotent => false;

    public IReadOnlyList<string> Validate(IReadOnlyDictionary<string, string> parameters) => ValidateParameters(parameters);

    public static IReadOnlyList<string> ValidateParameters(IReadOnlyDictionary<string, string> parameters)
    {
        ArgumentNullException.ThrowIfNull(parameters);
        var errors = new List<string>();
        if (!parameters.TryGetValue("url", out var url) || !Uri.TryCreate(url, UriKind.Absolute, out var uri) || uri.Scheme is not ("http" or "https"))
        {
            errors.Add("url: required, an absolute http:// or https:// URL");
        }

        if (parameters.TryGetValue("method", out var method) && method is not ("POST" or "PUT"))
        {
            errors.Add($"method: '{method}' is not POST or PUT");
        }

        if (parameters.TryGetValue("timeout", out var timeout) && (!DurationText.TryParse(timeout, out var parsed) || parsed <= TimeSpan.Zero))
        {
            errors.Add($"timeout: '{timeout}' is not a duration above zero");
        }

        return errors;
    }

    public async Task<ActionResult> ExecuteAsync(ActionContext context, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(context);
        var parameters = context.Parameters;
        var url = new Uri(parameters["url"]);
        var shown = Redaction.Url(url); // query strings often carry trigger tokens
        var timeout = parameters.TryGetValue("timeout", out var t) && DurationText.TryParse(t, out var parsed) ? parsed : TimeSpan.FromSeconds(30);
        using var request = new HttpRequestMessage(parameters.GetValueOrDefault("method") == "PUT" ? HttpMethod.Put : HttpMethod.Post, url)
        {
            Content = JsonContent.Create(new
            {
                incidentId = context.Incident.Id,
                target = context.Target.Name,
                environment = context.Incident.Environment,
                action = context.Run.Action.ToName(),
                rule = context.Run.Rule,
                runId = context.Run.Id,
                step = context.Step.Index,
                reason = context.Incident.TriggerSummary,
                parameters = parameters.Where(p => !Reserved.Contains(p.Key)).ToDictionary(p => p.Key, p => p.Value),
            }),
        };
        request.Headers.Add("Idempotency-Key", $"watchdog-run-{context.Run.Id}-step-{context.Step.Index}");
        if (parameters.TryGetValue("bearer_token_env", out var variable) && Environment.GetEnvironmentVariable(variable) is { Length: > 0 } token)
        {
            request.Headers.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", token);
        }

        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        deadline.CancelAfter(timeout);
        try
        {
            // Headers first, then the body as a stream up to the limit: the status decides, the body is an excerpt.
            using var response = await clients.CreateClient(HttpClientName).SendAsync(request, HttpCompletionOption.ResponseHeadersRead, deadline.Token);
            var answer = await ResponseBody.ReadAsync(response.Content, MaxAnswerBytes, deadline.Token);
            var body = answer.Text;
            var excerpt = body.Length > 200 ? body[..200] + "..." : body;
            if (answer.IsTooLarge)
            {
                excerpt = $"{excerpt} ({answer.TooLargeError}, not read further)".TrimStart();
            }
            return response.IsSuccessStatusCode
                ? ActionResult.Success($"{request.Method} {shown} answered {(int)response.StatusCode}") with { Detail = System.Text.Json.JsonSerializer.Serialize(new { status = (int)response.StatusCode, body = excerpt }) }
                : ActionResult.Failure($"{request.Method} {shown} answered {(int)response.StatusCode}: {excerpt}");
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            return ActionResult.Failure($"{request.Method} {shown} did not answer within {DurationText.Format(timeout)}");
        }
        catch (HttpRequestException ex)
        {
            return ActionResult.Failure($"{request.Method} {shown} failed: {ex.Message}");
        }
        catch (IOException ex)
        {
            return ActionResult.Failure($"{request.Method} {shown}: the answer broke off: {ex.Message}");
        }
    }
}
