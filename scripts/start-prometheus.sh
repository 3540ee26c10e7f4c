#!/usr/bin/env bash
# A throwaway Prometheus (Debian package `prometheus`, 2.42) for tests: 127.0.0.1 only, a free port, everything under DIR.
#   eval "$(SCRAPE_TARGET=127.0.0.1:PORT scripts/start-prometheus.sh start DIR)"
#       prints: export PROM_URL=http://127.0.0.1:PORT PROM_PID=... PROM_DIR=...
#   scripts/start-prometheus.sh stop DIR     SIGTERM, SIGKILL if it lingers, remove DIR
# Settings from the environment: SCRAPE_TARGET (host:port serving /metrics, required), SCRAPE_INTERVAL and
# EVAL_INTERVAL (default 200ms), WAIT_SCRAPE (default 1: wait until the first scrape of SCRAPE_TARGET is queryable,
# which takes ~5 s because the discovery manager only pushes targets on a hard-coded 5 s tick), RULE_FILE (a rule file
# to evaluate every EVAL_INTERVAL; none by default) and ALERTMANAGER_URL (http://host:port of an Alertmanager to send
# the rules' alerts to; none by default).
# Progress goes to stderr; stdout carries only the export line.
set -euo pipefail
# shellcheck source=lib/servers.sh
. "$(dirname "$0")/lib/servers.sh"

command=${1:-}
dir=${2:-}
if [ -z "$command" ] || [ -z "$dir" ]; then
  echo "usage: $0 start|stop DIR" >&2
  exit 2
fi

now_ms() { date +%s%3N; }

start() {
  if ! command -v prometheus >/dev/null 2>&1; then
    echo "start-prometheus.sh: prometheus is not installed; apt-get install -y --no-install-recommends prometheus" >&2
    exit 1
  fi
  if [ -z "${SCRAPE_TARGET:-}" ]; then
    echo "start-prometheus.sh: set SCRAPE_TARGET=host:port (the /metrics endpoint to scrape)" >&2
    exit 2
  fi
  local scrape=${SCRAPE_INTERVAL:-200ms} eval_interval=${EVAL_INTERVAL:-200ms}
  mkdir -p "$dir/data"
  dir=$(cd "$dir" && pwd)
  local rules="" alerting=""
  if [ -n "${RULE_FILE:-}" ]; then
    if [ ! -f "$RULE_FILE" ]; then
      echo "start-prometheus.sh: RULE_FILE $RULE_FILE does not exist" >&2
      exit 2
    fi
    rules="rule_files: [\"$(cd "$(dirname "$RULE_FILE")" && pwd)/$(basename "$RULE_FILE")\"]"
  fi
  if [ -n "${ALERTMANAGER_URL:-}" ]; then
    local am=${ALERTMANAGER_URL#http://}
    am=${am%%/*}
    alerting="alerting: {alertmanagers: [{scheme: http, timeout: 2s, static_configs: [{targets: [\"$am\"]}]}]}"
  fi
  # scrape_timeout must not exceed scrape_interval (promtool and the server both refuse it).
  cat >"$dir/prometheus.yml" <<YAML
global:
  scrape_interval: $scrape
  scrape_timeout: $scrape
  evaluation_interval: $eval_interval
scrape_configs:
  - job_name: app
    static_configs: [{targets: ["$SCRAPE_TARGET"]}]
$rules
$alerting
YAML

  local started port pid attempt ready=0
  started=$(now_ms)
  for attempt in 1 2 3 4 5; do
    port=$(free_port)
    # Output to a file and stdin from /dev/null: a caller reading our stdout must not wait for Prometheus to exit.
    prometheus --config.file="$dir/prometheus.yml" --storage.tsdb.path="$dir/data" \
      --web.listen-address="127.0.0.1:$port" --web.external-url="http://127.0.0.1:$port" \
      --web.enable-lifecycle --query.lookback-delta=5m \
      >"$dir/prometheus.log" 2>&1 </dev/null &
    pid=$!
    echo "$pid" >"$dir/prometheus.pid"
    for _ in $(seq 1 100); do
      if ! alive "$pid"; then
        break
      fi
      if curl -fsS "http://127.0.0.1:$port/-/ready" >/dev/null 2>&1; then
        ready=1
        break
      fi
      sleep 0.1
    done
    [ "$ready" -eq 1 ] && break
    echo "start-prometheus.sh: start on port $port failed (attempt $attempt)" >&2
    kill -9 "$pid" 2>/dev/null || true
  done
  if [ "$ready" -ne 1 ]; then
    tail -n 20 "$dir/prometheus.log" >&2 || true
    exit 1
  fi
  echo "# ready after $(($(now_ms) - started)) ms" >&2

  if [ "${WAIT_SCRAPE:-1}" = "1" ]; then
    local seen=0
    for _ in $(seq 1 300); do
      if curl -fsS "http://127.0.0.1:$port/api/v1/query" --data-urlencode 'query=up{job="app"} == 1' 2>/dev/null | grep -q '"value"'; then
        seen=1
        break
      fi
      sleep 0.1
    done
    if [ "$seen" -ne 1 ]; then
      echo "start-prometheus.sh: no successful scrape of $SCRAPE_TARGET within 30 s" >&2
      kill "$pid" 2>/dev/null || true
      exit 1
    fi
    echo "# first scrape visible after $(($(now_ms) - started)) ms" >&2
  fi

  echo "export PROM_URL=http://127.0.0.1:$port PROM_PID=$pid PROM_DIR=$dir"
}

stop() {
  [ -d "$dir" ] || return 0
  stop_pidfile "$dir/prometheus.pid" prometheus
  rm -rf "$dir"
}

case "$command" in
  start) start ;;
  stop) stop ;;
  *)
    echo "usage: $0 start|stop DIR" >&2
    exit 2
    ;;
esac
