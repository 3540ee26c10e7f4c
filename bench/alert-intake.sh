#!/usr/bin/env bash
# Webhook intake throughput and latency: the intake on SQLite (bench/Watchdog.Benchmarks alert-intake-host) loaded
# by wrk posting the captured Alertmanager firing payload, each with its own fingerprint so each is stored.
#   bench/alert-intake.sh            RUNS=10 DURATION=15s THREADS=2 CONNECTIONS=16 by default
# Per run: wrk's numbers (requests/s, latency percentiles incl. p99) and the rows the store actually holds; then the
# median and spread (min-max) of payloads/s persisted and of each percentile over the runs, and the load average
# (uptime) before and after.
set -euo pipefail
cd "$(dirname "$0")/.."

export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1 DOTNET_SKIP_FIRST_TIME_EXPERIENCE=1
RUNS=${RUNS:-10}
DURATION=${DURATION:-15s}
THREADS=${THREADS:-2}
CONNECTIONS=${CONNECTIONS:-16}
FIXTURE=tests/fixtures/alertmanager/alertmanager-webhook-firing.raw

if ! command -v wrk >/dev/null 2>&1; then
  sudo=()
  [ "$(id -u)" -eq 0 ] || sudo=(sudo)
  echo "alert-intake.sh: installing wrk" >&2
  "${sudo[@]}" apt-get update -qq
  "${sudo[@]}" env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends wrk
fi

dotnet build bench/Watchdog.Benchmarks -c Release --nologo -clp:ErrorsOnly >&2

work=$(mktemp -d)
host=
stop_host() {
  if [ -n "$host" ]; then
    kill "$host" 2>/dev/null || true
    wait "$host" 2>/dev/null || true
    host=
  fi
}
cleanup() {
  stop_host
  rm -rf "$work"
}
trap cleanup EXIT

# A fresh host and database for each run: rows pile up by ~5,000/s, and past max_alerts (100,000) every retention
# pass (one per 5,000 stored) deletes under the writer, which is another measurement (see docs/benchmarks.md).
start_host() {
  db=$work/watchdog-$1.db
  port=
  for _ in $(seq 1 50); do
    candidate=$((20000 + RANDOM % 40000))
    if ! (exec 3<>"/dev/tcp/127.0.0.1/$candidate") 2>/dev/null; then
      port=$candidate
      break
    fi
  done
  [ -n "$port" ] || { echo "alert-intake.sh: no free port" >&2; exit 1; }
  url=http://127.0.0.1:$port
  # Server GC, as the daemon (a Web SDK app) runs by default; the benchmark project itself is a console app.
  DOTNET_gcServer=1 dotnet bench/Watchdog.Benchmarks/bin/Release/net10.0/Watchdog.Benchmarks.dll alert-intake-host \
    --db "$db" --urls "$url" >"$work/host-$1.log" 2>&1 &
  host=$!
  for _ in $(seq 1 100); do
    if (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null; then
      return 0
    fi
    sleep 0.1
  done
  echo "alert-intake.sh: the host did not listen on $port" >&2
  exit 1
}

rows() {
  python3 -c 'import sqlite3, sys; print(sqlite3.connect(sys.argv[1]).execute("SELECT COUNT(*) FROM alerts").fetchone()[0])' "$db"
}

seconds=${DURATION%s}
results=$work/results.txt
echo "before: $(uptime)"
for run in $(seq 1 "$RUNS"); do
  start_host "$run"
  wrk -t"$THREADS" -c"$CONNECTIONS" -d3s -s bench/alert-intake.lua "$url" -- w "$FIXTURE" >/dev/null
  before=$(rows)
  echo "== run $run/$RUNS (after a 3 s warm-up, not counted): wrk -t$THREADS -c$CONNECTIONS -d$DURATION, each request one firing alert with a new fingerprint"
  out=$(wrk -t"$THREADS" -c"$CONNECTIONS" -d"$DURATION" -s bench/alert-intake.lua "$url" -- r "$FIXTURE")
  echo "$out"
  after=$(rows)
  stop_host
  persisted=$(( (after - before) / seconds ))
  echo "persisted: $((after - before)) alerts in ${seconds} s = $persisted payloads/s (rows counted in SQLite)"
  echo "$persisted $(echo "$out" | awk '/^latency ms:/ {print $4, $6, $8, $10, $12, $14}')" >>"$results"
done
echo "after:  $(uptime)"
# Median and spread over the runs: payloads/s persisted, then wrk's p50 p90 p99 p99.9 max mean (ms).
python3 - "$results" <<'PY'
import statistics, sys
rows = [list(map(float, line.split())) for line in open(sys.argv[1]) if line.strip()]
names = ["payloads/s", "p50 ms", "p90 ms", "p99 ms", "p99.9 ms", "max ms", "mean ms"]
print(f"== over {len(rows)} runs: median (min-max)")
for i, name in enumerate(names):
    values = [row[i] for row in rows]
    print(f"{name:>11}: {statistics.median(values):9.2f} ({min(values):.2f}-{max(values):.2f})")
PY
echo "machine: $(nproc) cores, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ //'); wrk and the intake share them"
