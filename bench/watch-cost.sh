#!/usr/bin/env bash
# Cost of watching (issue 14, item 3): the daemon's CPU (share of one core: utime+stime from /proc/PID/stat over the wall
# time) and memory (VmRSS at the end of each window, VmHWM peak) while it watches TARGETS targets, each reading five grouped
# Prometheus signals, against a real Prometheus scraping `watch-cost-app` (series for TARGETS deployments).
#   TARGETS=1000 INTERVAL=1s DURATION=60 RUNS=10 WARMUP=20 SCRAPE_INTERVAL=2s BREACHED_PERCENT=0 bench/watch-cost.sh
# A run is one window of DURATION seconds; the RUNS windows follow each other in one daemon, after WARMUP seconds.
# Queries per cycle: the growth of Prometheus's own prometheus_http_requests_total{handler="/api/v1/query"} (read from its
# /metrics, which is not a query) over a window, divided by the cycles in it (the
# evaluations of the first target, from the daemon's API). CPU ms per cycle is the window's CPU time over those cycles: on
# a machine so loaded that the daemon misses cycles, it compares better than the share of a core.
# DAEMON_DLL and BENCH_DLL run other builds (a copy of bin/Release, say) with NO_BUILD=1.
# GC settings of the daemon can be tried with DOTNET_* variables in the environment: they are passed through.
set -euo pipefail
cd "$(dirname "$0")/.."
export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1
targets=${TARGETS:-1000} interval=${INTERVAL:-15s} duration=${DURATION:-60} runs=${RUNS:-10} warmup=${WARMUP:-20}
breached=${BREACHED_PERCENT:-0} scrape=${SCRAPE_INTERVAL:-2s}
. scripts/lib/servers.sh
work=$(mktemp -d /tmp/watch-cost.XXXXXX)
app_pid= daemon_pid=
# Every step even when one fails (a daemon already gone): nothing may be left running.
cleanup() {
  set +e
  [ -n "$daemon_pid" ] && { kill "$daemon_pid"; wait "$daemon_pid"; } 2>/dev/null
  [ -n "$app_pid" ] && { kill "$app_pid"; wait "$app_pid"; } 2>/dev/null
  scripts/start-prometheus.sh stop "$work/prometheus"
  rm -rf "$work"
}
trap cleanup EXIT

if [ "${NO_BUILD:-0}" != 1 ]; then
  dotnet build src/Watchdog/Watchdog.csproj -c Release --nologo -clp:ErrorsOnly >&2
  dotnet build bench/Watchdog.Benchmarks -c Release --nologo -clp:ErrorsOnly >&2
fi
bench_dll=${BENCH_DLL:-$(ls bench/Watchdog.Benchmarks/bin/Release/net10.0/Watchdog.Benchmarks.dll)}
daemon_dll=${DAEMON_DLL:-$(ls src/Watchdog/bin/Release/net10.0/watchdog.dll)}

app_port=$(free_port)
dotnet "$bench_dll" watch-cost-app --deployments "$targets" --breached-percent "$breached" --urls "http://127.0.0.1:$app_port" >"$work/app.log" 2>&1 </dev/null &
app_pid=$!
for _ in $(seq 1 100); do curl -fsS "http://127.0.0.1:$app_port/metrics" -o /dev/null 2>/dev/null && break; sleep 0.1; done
eval "$(SCRAPE_TARGET=127.0.0.1:$app_port SCRAPE_INTERVAL=$scrape EVAL_INTERVAL=$scrape scripts/start-prometheus.sh start "$work/prometheus")"

# Five signals, each one grouped query per cycle for every target; a healthy policy (nothing breaches the thresholds).
window=30s
{
  cat <<YAML
store: {path: $work/watchdog.db}
sources:
  prometheus: {url: "$PROM_URL", timeout: 5s}
signals:
  error_rate:
    source: prometheus
    query: 'sum(rate(http_requests_total{deployment="{{deployment}}",code="500"}[$window])) / sum(rate(http_requests_total{deployment="{{deployment}}"}[$window]))'
    group_by: [deployment]
    group_query: 'sum by (deployment) (rate(http_requests_total{code="500"}[$window])) / sum by (deployment) (rate(http_requests_total[$window]))'
  request_rate:
    source: prometheus
    query: 'sum(rate(http_requests_total{deployment="{{deployment}}"}[$window]))'
    group_by: [deployment]
    group_query: 'sum by (deployment) (rate(http_requests_total[$window]))'
  latency_p99:
    source: prometheus
    query: 'max(app_latency_p99_seconds{deployment="{{deployment}}"})'
    group_by: [deployment]
    group_query: 'max by (deployment) (app_latency_p99_seconds)'
  memory:
    source: prometheus
    query: 'max(app_memory_bytes{deployment="{{deployment}}"})'
    group_by: [deployment]
    group_query: 'max by (deployment) (app_memory_bytes)'
  restarts:
    source: prometheus
    query: 'sum(increase(app_restarts_total{deployment="{{deployment}}"}[$window]))'
    group_by: [deployment]
    group_query: 'sum by (deployment) (increase(app_restarts_total[$window]))'
policies: [policy.yaml]
defaults: {interval: $interval, dry_run: true}
targets:
YAML
  for i in $(seq 1 "$targets"); do
    d=$(printf 'app-%05d' "$i")
    echo "  - {name: $d, policy: watch, variables: {deployment: $d}, plans: {rollback: [{action: notify-only}]}}"
  done
} >"$work/watchdog.yaml"
cat >"$work/policy.yaml" <<'YAML'
name: watch
matrix:
  - {id: errors, when: {all: ["error_rate > 0.10", "request_rate > 1"]}, for: 2s, action: rollback, authority: automatic}
  - {id: latency, when: "latency_p99 > 2", for: 2s, action: rollback, authority: automatic}
  - {id: memory, when: "memory > 4000000000", action: rollback, authority: automatic}
  - {id: restarts, when: "restarts > 3", action: rollback, authority: automatic}
YAML

# A free port may be taken before the daemon binds it (other sessions share the machine): then try another.
started=$(date +%s)
for attempt in 1 2 3; do
  daemon_port=$(free_port)
  WATCHDOG__HTTP__LISTEN="http://127.0.0.1:$daemon_port" dotnet "$daemon_dll" run --config "$work/watchdog.yaml" >"$work/daemon.log" 2>&1 </dev/null &
  daemon_pid=$!
  for _ in $(seq 1 $((${READY_TIMEOUT:-900} * 5))); do
    curl -fsS "http://127.0.0.1:$daemon_port/readyz" -o /dev/null 2>/dev/null && break 2
    alive "$daemon_pid" || break
    sleep 0.2
  done
  alive "$daemon_pid" && { echo "watch-cost.sh: daemon not ready within ${READY_TIMEOUT:-900} s" >&2; exit 1; }
  wait "$daemon_pid" 2>/dev/null || true
  daemon_pid=
  echo "watch-cost.sh: daemon start $attempt failed:" >&2
  tail -5 "$work/daemon.log" >&2
done
[ -n "$daemon_pid" ] || exit 1
echo "# daemon ready after $(($(date +%s) - started)) s"
sleep "$warmup"

ticks=$(getconf CLK_TCK)
cpu_ticks() { awk '{print $14 + $15}' "/proc/$daemon_pid/stat"; }
kib() { awk -v k="$1" '$1 == k":" {print $2}' "/proc/$daemon_pid/status"; }
queries() { curl -fsS "$PROM_URL/metrics" | awk '/^prometheus_http_requests_total\{.*handler="\/api\/v1\/query"/ {n += $NF} END {printf "%d\n", n}'; }
# Cycles: the evaluations of the first target (its status in the API; not /metrics, whose size grows with the targets).
cycles() { curl -fsS "http://127.0.0.1:$daemon_port/api/v1/targets/app-00001" | grep -o '"evaluations": *[0-9]*' | grep -o '[0-9]*$'; }

echo "# targets=$targets interval=$interval duration=${duration}s runs=$runs warmup=${warmup}s scrape=$scrape breached=$breached% $(nproc) cores; $(uptime | sed 's/.*load/load/')"
printf '%-4s %8s %9s %9s %8s %8s %6s %12s\n' run cpu% rss_MiB peak_MiB queries cycles q/cycle cpu_ms/cycle
results=()
for run in $(seq 1 "$runs"); do
  t0=$(date +%s%N) c0=$(cpu_ticks) q0=$(queries) r0=$(cycles)
  sleep "$duration"
  t1=$(date +%s%N) c1=$(cpu_ticks) q1=$(queries) r1=$(cycles)
  rss=$(kib VmRSS) hwm=$(kib VmHWM)
  line=$(awk -v c=$((c1 - c0)) -v hz="$ticks" -v ns=$((t1 - t0)) -v rss="$rss" -v hwm="$hwm" -v q=$((q1 - q0)) -v r=$((r1 - r0)) -v run="$run" \
    'BEGIN {printf "%-4d %8.2f %9.1f %9.1f %8d %8d %6.2f %12.1f", run, 100 * c / hz / (ns / 1e9), rss / 1024, hwm / 1024, q, r, (r ? q / r : 0), (r ? 1000 * c / hz / r : 0)}')
  echo "$line"
  results+=("$line")
done
# After the windows (the body grows with the targets): what the GC holds, next to the RSS.
curl -fsS "http://127.0.0.1:$daemon_port/metrics" | awk '/^dotnet_gc_last_collection_heap_size_bytes\{/ {h += $NF} /^dotnet_gc_last_collection_memory_committed_size_bytes/ {c += $NF}
  END {printf "gc: heap after last collection %.1f MiB, committed %.1f MiB\n", h / 1048576, c / 1048576}' || true
printf '%s\n' "${results[@]}" | awk -v load="$(cut -d' ' -f1-3 /proc/loadavg)" '
  {cpu[NR] = $2; rss[NR] = $3; peak = ($4 > peak ? $4 : peak); qpc[NR] = $7; ms[NR] = $8}
  function median(a, n,   i, j, t, b) { for (i = 1; i <= n; i++) b[i] = a[i]
    for (i = 1; i <= n; i++) for (j = i + 1; j <= n; j++) if (b[j] < b[i]) { t = b[i]; b[i] = b[j]; b[j] = t }
    return n % 2 ? b[(n + 1) / 2] : (b[n / 2] + b[n / 2 + 1]) / 2 }
  function lo(a, n,   i, m) { m = a[1]; for (i = 2; i <= n; i++) if (a[i] < m) m = a[i]; return m }
  function hi(a, n,   i, m) { m = a[1]; for (i = 2; i <= n; i++) if (a[i] > m) m = a[i]; return m }
  END { printf "summary: cpu%% median %.2f (min %.2f, max %.2f) | rss MiB median %.1f (min %.1f, max %.1f), peak %.1f | queries/cycle median %.2f | cpu ms/cycle median %.1f | load %s\n",
    median(cpu, NR), lo(cpu, NR), hi(cpu, NR), median(rss, NR), lo(rss, NR), hi(rss, NR), peak, median(qpc, NR), median(ms, NR), load }'
