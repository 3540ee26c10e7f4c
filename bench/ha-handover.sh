#!/usr/bin/env bash
# SIGTERM hand-over (issue 15): REPLICAS daemons (Release build) on one real PostgreSQL (scripts/start-postgres.sh),
# ha.lock postgres; the leader is sent SIGTERM and the time is taken from the signal to another replica answering
# GET /api/v1/ha with role leader (polled every 20 ms). The replica is then started again and the next run waits until
# all are followers or leader again. MODE=kill sends SIGKILL instead: the takeover then waits out the session's loss
# (the advisory lock is freed when PostgreSQL sees the connection close), bounded by lease_duration.
#   bench/ha-handover.sh              RUNS=10 REPLICAS=2 MODE=term RETRY=2s (ha.retry_period; renew deadline 5 x, lease 7.5 x) by default
set -euo pipefail
cd "$(dirname "$0")/.."
export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1
RUNS=${RUNS:-10} REPLICAS=${REPLICAS:-2} MODE=${MODE:-term} RETRY=${RETRY:-2s}
retry_ms=$(python3 -c "import sys; v=sys.argv[1]; print(int(float(v[:-2])) if v.endswith('ms') else int(float(v[:-1]) * 1000))" "$RETRY")
dotnet build src/Watchdog -c Release --nologo -clp:ErrorsOnly >&2
dir=$(mktemp -d /tmp/ha-handover.XXXXXX)
chmod 755 "$dir"  # the PostgreSQL server runs as postgres when this runs as root
pids=()
cleanup() {
  # each pid is timeout(1), which passes the SIGTERM on to its daemon
  for pid in "${pids[@]}"; do [ -n "$pid" ] && kill "$pid" 2>/dev/null || true; done
  wait 2>/dev/null || true
  scripts/start-postgres.sh stop "$dir/pg" >&2 || true
  rm -rf "$dir"
}
trap cleanup EXIT
eval "$(scripts/start-postgres.sh start "$dir/pg")"
psql -q -h "$PGHOST" -p "$PGPORT" -U postgres -c "CREATE DATABASE handover" >&2
cat > "$dir/watchdog.yaml" <<YAML
store: {kind: postgres, connection_string: "Host=$PGHOST;Port=$PGPORT;Username=postgres;Database=handover"}
ha: {lock: postgres, lease_duration: $((retry_ms * 15 / 2))ms, renew_deadline: $((retry_ms * 5))ms, retry_period: ${retry_ms}ms, shutdown_grace: 20s}
targets: []
YAML
base_port=$((20000 + RANDOM % 20000))
start_replica() {
  local i=$1
  (cd "$dir" && WATCHDOG__HA__IDENTITY="replica-$i" WATCHDOG__HTTP__LISTEN="http://127.0.0.1:$((base_port + i))" \
    exec timeout 1800 dotnet "$OLDPWD/src/Watchdog/bin/Release/net10.0/watchdog.dll" run --config watchdog.yaml >>"$dir/replica-$i.log" 2>&1) &
  pids[$i]=$!
}
for i in $(seq 0 $((REPLICAS - 1))); do start_replica "$i"; done
echo "before: $(uptime)"
# The poller: waits for exactly one leader among the ports, signals it, times the takeover by another.
export REPLICAS base_port MODE
for run in $(seq 1 "$RUNS"); do
  result=$(python3 - "${pids[@]}" <<'PY'
import json, os, signal, sys, time, urllib.request
ports = [int(os.environ["base_port"]) + i for i in range(int(os.environ["REPLICAS"]))]
pids = [int(p) for p in sys.argv[1:]]
def role(port):
    try:
        with urllib.request.urlopen(f"http://127.0.0.1:{port}/api/v1/ha", timeout=0.5) as r:
            return json.load(r).get("role")
    except Exception:
        return None
deadline = time.monotonic() + 120
while True:
    roles = [role(p) for p in ports]
    if roles.count("leader") == 1 and None not in roles:
        break
    if time.monotonic() > deadline:
        print("ERROR no single leader"); sys.exit(0)
    time.sleep(0.1)
leader = roles.index("leader")
# The replica's process is dotnet, a child of the subshell whose pid we hold; signal the dotnet process.
child = int(open(f"/proc/{pids[leader]}/task/{pids[leader]}/children").read().split()[0])
child = int(open(f"/proc/{child}/task/{child}/children").read().split()[0]) if open(f"/proc/{child}/comm").read().strip() == "timeout" else child
t0 = time.monotonic()
os.kill(child, signal.SIGKILL if os.environ["MODE"] == "kill" else signal.SIGTERM)
while time.monotonic() - t0 < 60:
    if any(role(p) == "leader" for i, p in enumerate(ports) if i != leader):
        print(f"{leader} {(time.monotonic() - t0) * 1000:.0f}"); sys.exit(0)
    time.sleep(0.02)
print(f"{leader} TIMEOUT")
PY
)
  leader=${result%% *}
  echo "run $run: replica-$leader signalled, another leads after ${result#* } ms"
  echo "${result#* }" >>"$dir/times"
  wait "${pids[$leader]}" 2>/dev/null || true
  start_replica "$leader"
done
echo "after:  $(uptime)"
python3 - "$dir/times" <<'PY'
import statistics, sys
t = sorted(float(x) for x in open(sys.argv[1]).read().split() if x.replace('.', '').isdigit())
if t:
    print(f"hand-over ({len(t)} runs): median {statistics.median(t):.0f} ms, min {t[0]:.0f}, max {t[-1]:.0f}, p90 {t[int(0.9 * (len(t) - 1))]:.0f}")
PY
echo "machine: $(nproc) cores, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ //')"
