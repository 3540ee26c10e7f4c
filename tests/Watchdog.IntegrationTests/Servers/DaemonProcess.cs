using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;
using System.Net;
using Xunit.Abstractions;

namespace Watchdog.IntegrationTests.Servers;

/// <summary>
/// The real daemon as a child process: <c>dotnet watchdog.dll run --config FILE</c> from the test's bin folder, on
/// 127.0.0.1 at a port of its own (given by <c>WATCHDOG__HTTP__LISTEN</c>, so the file needs no <c>http.listen</c>),
/// with its standard output and error captured. It can be killed with SIGKILL by its PID and started again on the same
/// configuration, and so on the same store and port. It is always killed when disposed, and when the test host exits.
/// </summary>
public sealed class DaemonProcess : IAsyncDisposable
{
    /// <summary>How long a start may take on a loaded 2-core machine before it counts as failed.</summary>
    public static readonly TimeSpan StartTimeout = TimeSpan.FromSeconds(60);

    private static readonly ConcurrentDictionary<int, Process> Alive = new();
    private readonly string _configPath;
    private readonly IReadOnlyDictionary<string, string> _environment;
    private readonly ITestOutputHelper? _output;
    private readonly DaemonLog _log = new();
    private readonly string _listenAddress;
    private Process? _process;
    private Task _reading = Task.CompletedTask;

    static DaemonProcess() =>
        // If the test host is torn down without disposing a test's daemon, still do not leave one behind.
        AppDomain.CurrentDomain.ProcessExit += (_, _) =>
        {
            foreach (var process in Alive.Values)
            {
                KillQuietly(process);
            }
        };

    private DaemonProcess(string configPath, IReadOnlyDictionary<string, string> environment, ITestOutputHelper? output, string listenAddress)
    {
        _configPath = configPath;
        _environment = environment;
        _output = output;
        _listenAddress = listenAddress;
        Port = LoopbackPorts.Free();
    }

    /// <summary>Where the daemon listens, e.g. <c>http://127.0.0.1:41234/</c>; the same after a restart.</summary>
    public Uri Url => new($"http://127.0.0.1:{Port}/");

    public int Port { get; private set; }

    /// <summary>The PID of the running process; 0 when none runs.</summary>
    public int Pid => _process is { HasExited: false } process ? process.Id : 0;

    /// <summary>How many times the process was started.</summary>
    public int Starts { get; private set; }

    /// <summary>Everything the daemon wrote on standard output and error, across restarts (each start noted), unaltered.</summary>
    public string Log => _log.Text;

    /// <summary>The resident memory of the running process (VmRSS), in bytes.</summary>
    public long ResidentBytes()
    {
        var status = File.ReadAllLines($"/proc/{Pid}/status").Single(line => line.StartsWith("VmRSS:", StringComparison.Ordinal));
        return long.Parse(status.Split(' ', StringSplitOptions.RemoveEmptyEntries)[1], CultureInfo.InvariantCulture) * 1024;
    }

    /// <summary>Starts the daemon on <paramref name="configPath"/> (working directory: its folder) and waits until it is ready.</summary>
    /// <param name="output">Receives the daemon's whole log when it is disposed (xunit shows it for failed tests).</param>
    /// <param name="environment">More environment variables, e.g. <c>WATCHDOG__...</c> overrides.</param>
    /// <param name="readiness">What "started" means: <c>/readyz</c> answers 200 (a first watch cycle completed), or only <c>/healthz</c>.</param>
    /// <param name="listenAddress">
    /// The address it listens on; <c>0.0.0.0</c> (every interface) still answers on 127.0.0.1, which <see cref="Url"/> names.
    /// </param>
    public static async Task<DaemonProcess> StartAsync(
        string configPath,
        ITestOutputHelper? output = null,
        IReadOnlyDictionary<string, string>? environment = null,
        DaemonReadiness readiness = DaemonReadiness.Ready,
        string listenAddress = "127.0.0.1")
    {
        var daemon = new DaemonProcess(configPath, environment ?? new Dictionary<string, string>(), output, listenAddress);
        try
        {
            await daemon.StartAgainAsync(readiness);
        }
        catch
        {
            // Whatever went wrong, no process may be left behind; the failure itself goes on to the test.
            await daemon.DisposeAsync();
            throw;
        }

        return daemon;
    }

    /// <summary>Starts the process again (after <see cref="KillAsync"/>) on the same configuration, store and port.</summary>
    public async Task StartAgainAsync(DaemonReadiness readiness = DaemonReadiness.Ready)
    {
        if (Pid != 0)
        {
            throw new InvalidOperationException($"the daemon still runs as PID {Pid}; kill it first");
        }

        // A port picked at the first start may be taken by then; only then does the daemon move.
        for (var attempt = 1; ; attempt++)
        {
            var process = Launch();
            var outcome = await WaitUntilStartedAsync(process, readiness);
            if (outcome is null)
            {
                return;
            }

            if (attempt < 3 && outcome.Contains("address already in use", StringComparison.OrdinalIgnoreCase))
            {
                Port = LoopbackPorts.Free();
                continue;
            }

            throw new InvalidOperationException($"the daemon did not start: {outcome}\n--- daemon log ---\n{Log}");
        }
    }

    /// <summary>kill -9: the process ends at once, in the middle of whatever it was doing.</summary>
    public async Task KillAsync()
    {
        if (_process is not { } process)
        {
            return;
        }

        KillQuietly(process);
        using var limit = new CancellationTokenSource(TimeSpan.FromSeconds(20));
        await process.WaitForExitAsync(limit.Token);
        await _reading.WaitAsync(limit.Token);
        Note($"killed PID {process.Id} (SIGKILL)");
        Forget(process);
    }

    /// <summary>kill -STOP: the process is frozen where it is (its sockets stay open, its clock runs on) until <see cref="ContinueAsync"/>.</summary>
    public Task PauseAsync() => SignalAsync("-STOP", "paused (SIGSTOP)");

    /// <summary>kill -CONT: a paused process runs on from where it was.</summary>
    public Task ContinueAsync() => SignalAsync("-CONT", "continued (SIGCONT)");

    private async Task SignalAsync(string signal, string note)
    {
        if (_process is not { HasExited: false } process)
        {
            throw new InvalidOperationException($"the daemon is not running: cannot send {signal}");
        }

        using (var kill = Process.Start("kill", [signal, process.Id.ToString(CultureInfo.InvariantCulture)]))
        {
            await kill.WaitForExitAsync();
        }

        Note($"PID {process.Id} {note}");
    }

    /// <summary>kill -TERM: a graceful shutdown; SIGKILL after <paramref name="grace"/> if it has not ended.</summary>
    /// <returns>The exit code, or null when it had to be killed.</returns>
    public async Task<int?> TerminateAsync(TimeSpan grace)
    {
        if (_process is not { HasExited: false } process)
        {
            return null;
        }

        using (var signal = Process.Start("kill", ["-TERM", process.Id.ToString(CultureInfo.InvariantCulture)]))
        {
            await signal.WaitForExitAsync();
        }

        using var limit = new CancellationTokenSource(grace);
        try
        {
            await process.WaitForExitAsync(limit.Token);
            await _reading.WaitAsync(limit.Token);
            var code = process.ExitCode;
            Note($"PID {process.Id} exited {code} after SIGTERM");
            Forget(process);
            return code;
        }
        catch (OperationCanceledException)
        {
            await KillAsync();
            return null;
        }
    }

    /// <summary>Runs a verb to its end, e.g. <c>validate --config FILE</c>, and returns what it printed.</summary>
    public static async Task<DaemonExit> RunToExitAsync(IReadOnlyList<string> arguments, string workingDirectory, TimeSpan timeout, IReadOnlyDictionary<string, string>? environment = null)
    {
        var info = DaemonCommand.StartInfo(arguments, workingDirectory, environment ?? new Dictionary<string, string>());
        using var process = Process.Start(info) ?? throw new InvalidOperationException("could not start the daemon");
        Alive[process.Id] = process;
        try
        {
            var output = process.StandardOutput.ReadToEndAsync();
            var errors = process.StandardError.ReadToEndAsync();
            using var limit = new CancellationTokenSource(timeout);
            try
            {
                await process.WaitForExitAsync(limit.Token);
            }
            catch (OperationCanceledException)
            {
                KillQuietly(process);
                await process.WaitForExitAsync(CancellationToken.None);
                return new DaemonExit(null, await output, await errors);
            }

            return new DaemonExit(process.ExitCode, await output, await errors);
        }
        finally
        {
            Alive.TryRemove(process.Id, out _);
        }
    }

    public async ValueTask DisposeAsync()
    {
        try
        {
            await KillAsync();
        }
        finally
        {
            _process?.Dispose();
            _output?.WriteLine($"--- daemon log ({Starts} start(s), {_configPath}) ---\n{Log}");
        }
    }

    private Process Launch()
    {
        var environment = new Dictionary<string, string>(_environment, StringComparer.Ordinal)
        {
            ["WATCHDOG__HTTP__LISTEN"] = $"http://{_listenAddress}:{Port}",
        };
        var info = DaemonCommand.StartInfo(["run", "--config", _configPath], Path.GetDirectoryName(_configPath)!, environment);
        var process = new Process { StartInfo = info };
        Starts++;
        process.Start();
        Alive[process.Id] = process;
        _process = process;
        Note($"start {Starts}: PID {process.Id} on port {Port}");
        _reading = Task.WhenAll(_log.CopyAsync(process.StandardOutput.BaseStream), _log.CopyAsync(process.StandardError.BaseStream));
        return process;
    }

    /// <returns>Null once started; otherwise why not.</returns>
    private async Task<string?> WaitUntilStartedAsync(Process process, DaemonReadiness readiness)
    {
        var probe = new Uri(Url, readiness == DaemonReadiness.Ready ? "readyz" : "healthz");
        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(5) };
        var waited = Stopwatch.StartNew();
        while (waited.Elapsed < StartTimeout)
        {
            if (process.HasExited)
            {
                // The exit can arrive before the last lines: let the readers catch up.
                await process.WaitForExitAsync();
                await _reading;
                var code = process.ExitCode;
                Forget(process);
                return $"it exited with code {code}";
            }

            try
            {
                using var response = await http.GetAsync(probe);
                if (response.StatusCode == HttpStatusCode.OK)
                {
                    Note($"{probe.AbsolutePath} answered 200 after {waited.ElapsedMilliseconds} ms");
                    return null;
                }
            }
            catch (Exception ex) when (ex is HttpRequestException or TaskCanceledException)
            {
                // Not listening yet, or busy starting: ask again.
            }

            await Task.Delay(50);
        }

        await KillAsync();
        return $"{probe} did not answer 200 within {StartTimeout.TotalSeconds} s";
    }

    private void Note(string what) => _log.Note(what);

    private void Forget(Process process)
    {
        Alive.TryRemove(process.Id, out _);
        if (ReferenceEquals(_process, process))
        {
            _process = null;
            process.Dispose();
        }
    }

    private static void KillQuietly(Process process)
    {
        try
        {
            // Process.Kill is SIGKILL on Unix, sent to this PID only: the daemon starts no children.
            process.Kill();
        }
        catch (InvalidOperationException)
        {
            // Already exited.
        }
    }
}
