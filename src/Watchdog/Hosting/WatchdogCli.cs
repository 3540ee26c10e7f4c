using System.CommandLine;
using System.Runtime.InteropServices;
using Watchdog.Configuration;
using Watchdog.Hosting.Demo;
using Watchdog.Hosting.OnCall;
using Watchdog.PolicyTesting;
using Watchdog.Store;

namespace Watchdog.Hosting;

/// <summary>
/// The <c>watchdog</c> command line: <c>run</c> (the default), <c>validate</c>, <c>test-rules</c>, <c>demo</c>,
/// the on-call verbs over the HTTP API (<see cref="OnCallCommands"/>) and <c>--version</c>. The loader, the policy
/// test runner and the environment are parameters so tests can drive every verb without files on disk.
/// </summary>
internal sealed class WatchdogCli(
    Func<string, ConfigLoadResult>? loadConfig = null,
    Func<IReadOnlyList<string>, TextWriter, int>? runPolicyTests = null,
    Func<string, string?>? environment = null)
{
    public const string DefaultConfigPath = "config/watchdog.yaml";

    private readonly Func<string, ConfigLoadResult> _loadConfig = loadConfig ?? (path => WatchdogConfigLoader.Load(path, WatchdogPlugins.Registry()));
    private readonly Func<IReadOnlyList<string>, TextWriter, int> _runPolicyTests = runPolicyTests ?? PolicyTestRunner.Run;
    private readonly Func<string, string?> _environment = environment ?? Environment.GetEnvironmentVariable;

    private readonly Option<string> _config = new("--config", "-c")
    {
        Description = "The configuration file",
        HelpName = "FILE",
        DefaultValueFactory = _ => DefaultConfigPath,
    };

    private readonly Option<string> _urls = new(ListenChoice.UrlsOption)
    {
        Description = $"Where the API listens, overriding {ListenChoice.ConfigKey} (as {ListenChoice.UrlsVariable} does)",
        HelpName = "URL",
    };

    private readonly Argument<string[]> _testFiles = new("files")
    {
        Description = "Policy test files to run",
        Arity = ArgumentArity.OneOrMore,
    };

    public Task<int> InvokeAsync(string[] args, TextWriter output, TextWriter error, CancellationToken cancellationToken = default)
    {
        var invocation = new InvocationConfiguration
        {
            Output = output,
            Error = error,
            // The daemon's host handles SIGINT/SIGTERM and shuts down gracefully within its own timeout;
            // System.CommandLine's handler would race it and end the process two seconds after the signal.
            ProcessTerminationTimeout = null,
        };
        return BuildRootCommand().Parse(args).InvokeAsync(invocation, cancellationToken);
    }

    public RootCommand BuildRootCommand()
    {
        var run = new Command("run", "Run the daemon: watch every target and decide (the default when no verb is given)") { _config, _urls };
        run.SetAction(RunAsync);

        var validate = new Command("validate", "Check the configuration and every policy it names; print all errors") { _config };
        validate.SetAction(Validate);

        var testRules = new Command("test-rules", "Run policy unit test files, like promtool test rules") { _testFiles };
        testRules.SetAction(parse => _runPolicyTests(parse.GetValue(_testFiles) ?? [], parse.InvocationConfiguration.Output));

        var demoConfig = new Option<string>("--config", "-c")
        {
            Description = "The demo's configuration (its URLs, store and reports folder are replaced by the demo's world)",
            HelpName = "FILE",
            DefaultValueFactory = _ => DemoRun.DefaultConfigPath,
        };
        var demoData = new Option<string>("--data") { Description = "Where the store and the incident reports go (default: a new temporary folder)", HelpName = "DIR" };
        var keepRunning = new Option<bool>("--keep-running") { Description = "After the scenarios, keep the world and the daemon up and print their URLs, until Ctrl+C" };
        var demo = new Command("demo", "Play the runbook's scenarios against a simulated cluster, Prometheus and flag server on 127.0.0.1, with the real daemon") { demoConfig, demoData, keepRunning };
        demo.SetAction(async (parse, cancellationToken) =>
        {
            // As for the sandbox: no host catches the signals for this verb, so Ctrl+C stops the demo cleanly here.
            using var stop = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            using var interrupt = PosixSignalRegistration.Create(PosixSignal.SIGINT, StopOn(stop));
            using var terminate = PosixSignalRegistration.Create(PosixSignal.SIGTERM, StopOn(stop));
            return await new DemoRun(parse.InvocationConfiguration.Output, parse.InvocationConfiguration.Error, TimeProvider.System)
                .RunAsync(parse.GetValue(demoConfig) ?? DemoRun.DefaultConfigPath, parse.GetValue(demoData), parse.GetValue(keepRunning), stop.Token);
        });

        var port = new Option<int>("--port") { Description = "Port on 127.0.0.1 (0: a free port)", DefaultValueFactory = _ => 0 };
        var sandbox = new Command("sandbox", "Start the Kubernetes API simulator alone on 127.0.0.1, seeded with Deployment checkout, StatefulSet db and DaemonSet node-agent; point kubectl or a Watchdog config at it") { port };
        sandbox.SetAction(async (parse, cancellationToken) =>
        {
            // No host here to catch the signals (ProcessTerminationTimeout is off for the daemon's sake): stop on them ourselves.
            using var stop = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            using var interrupt = PosixSignalRegistration.Create(PosixSignal.SIGINT, StopOn(stop));
            using var terminate = PosixSignalRegistration.Create(PosixSignal.SIGTERM, StopOn(stop));
            await Watchdog.Sandbox.SandboxCommand.RunAsync(parse.GetValue(port), parse.InvocationConfiguration.Output, stop.Token);
            return 0;
        });

        var root = new RootCommand("Watchdog: watches releases and rolls them back by the runbook") { _config, _urls, run, validate, testRules, sandbox, demo };
        foreach (var verb in new OnCallCommands(_config, _loadConfig, _environment).Build())
        {
            root.Add(verb);
        }

        root.SetAction(RunAsync);
        foreach (var version in root.Options.OfType<VersionOption>())
        {
            version.Action = new PrintVersionAction();
        }

        return root;
    }

    private static Action<PosixSignalContext> StopOn(CancellationTokenSource stop) => context =>
    {
        context.Cancel = true; // the process ends when the command returns, after a clean stop
        stop.Cancel();
    };

    private async Task<int> RunAsync(ParseResult parse, CancellationToken cancellationToken)
    {
        var path = parse.GetValue(_config) ?? DefaultConfigPath;
        var error = parse.InvocationConfiguration.Error;
        var config = _loadConfig(path);
        foreach (var warning in config.Warnings)
        {
            await error.WriteLineAsync($"warning: {warning}");
        }

        if (!config.IsValid)
        {
            foreach (var problem in config.Errors)
            {
                await error.WriteLineAsync(problem.ToString());
            }

            await error.WriteLineAsync($"{path}: {Count(config.Errors.Count, "error", "errors")}; not starting");
            return 1;
        }

        var listen = ListenChoice.Of(config.Options!.Http.Listen, parse.GetValue(_urls), _environment(ListenChoice.UrlsVariable));
        if (listen.Error is { } conflict)
        {
            await error.WriteLineAsync(conflict);
            await error.WriteLineAsync($"{path}: 1 error; not starting");
            return 1;
        }

        await using var app = WatchdogHost.Build(config, [], listen: listen);
        try
        {
            await app.RunAsync(cancellationToken);
        }
        catch (StoreInUseException ex)
        {
            await error.WriteLineAsync($"{path}: {ex.Message}; not starting");
            return 1;
        }

        return 0;
    }

    // The report is this verb's product, so all of it goes to standard output, in the order found.
    private int Validate(ParseResult parse)
    {
        var path = parse.GetValue(_config) ?? DefaultConfigPath;
        var output = parse.InvocationConfiguration.Output;
        var config = _loadConfig(path);
        foreach (var problem in config.Errors)
        {
            output.WriteLine(problem);
        }

        foreach (var warning in config.Warnings)
        {
            output.WriteLine($"warning: {warning}");
        }

        if (config.IsValid)
        {
            foreach (var line in WatchedSignals.NotApplicableLines(config))
            {
                output.WriteLine(line);
            }

            var targets = config.Options?.Targets.Count ?? 0;
            output.WriteLine($"{path}: ok ({Count(targets, "target", "targets")}, {Count(config.Policies.Count, "policy", "policies")})");
            return 0;
        }

        output.WriteLine($"{path}: {Count(config.Errors.Count, "error", "errors")}");
        return 1;
    }

    private static string Count(int count, string one, string many) => $"{count} {(count == 1 ? one : many)}";
}
