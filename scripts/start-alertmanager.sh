#!/usr/bin/env bash
# A throwaway Alertmanager (Debian's prometheus-alertmanager 0.25) for tests: 127.0.0.1 only, a free port, no HA
# gossip, everything under DIR, one webhook receiver with send_resolved.
#   eval "$(scripts/start-alertmanager.sh start DIR RECEIVER_URL)"   prints: export AM_URL=http://127.0.0.1:PORT AM_ADDR=127.0.0.1:PORT AM_PID=...
#   scripts/start-alertmanager.sh reload DIR RECEIVER_URL           the receiver sends to RECEIVER_URL from now on (same timings)
#   scripts/start-alertmanager.sh stop DIR                          stops it by its PID (SIGTERM, then SIGKILL), removes DIR
# Timings come from the environment: GROUP_WAIT (0s), GROUP_INTERVAL (1s), REPEAT_INTERVAL (1h), and
# RECEIVER_AUTH, a bearer token for http_config (none by default). Progress goes to stderr; stdout carries only exports.
set -euo pipefail
# shellcheck source=lib/servers.sh
. "$(dirname "$0")/lib/servers.sh"

AM_BIN=${AM_BIN:-prometheus-alertmanager}
command=${1:-}
dir=${2:-}
if [ -z "$command" ] || [ -z "$dir" ]; then
  echo "usage: $0 start DIR RECEIVER_URL | reload DIR RECEIVER_URL | stop DIR" >&2
  exit 2
fi

# A port nobody listens on; start still retries if someone takes it first.
# answers_ok METHOD PATH PORT, with bash alone (no curl needed on a fresh machine): true once it answers 200.
answers_ok() {
  local status
  { exec 3<>"/dev/tcp/127.0.0.1/$3"; } 2>/dev/null || return 1
  printf '%s %s HTTP/1.0\r\nHost: 127.0.0.1\r\nContent-Length: 0\r\n\r\n' "$1" "$2" >&3
  read -r -t 5 _ status _ <&3 || status=
  exec 3<&- 3>&-
  [ "$status" = "200" ]
}

write_config() {
  local auth=""
  if [ -n "${RECEIVER_AUTH:-}" ]; then
    auth="        http_config: {authorization: {type: Bearer, credentials: '${RECEIVER_AUTH}'}}"
  fi
  cat >"$dir/alertmanager.yml" <<YAML
global: {resolve_timeout: 5m}
route:
  receiver: watchdog
  group_by: ['alertname', 'service']
  group_wait: ${GROUP_WAIT:-0s}
  group_interval: ${GROUP_INTERVAL:-1s}
  repeat_interval: ${REPEAT_INTERVAL:-1h}
receivers:
  - name: watchdog
    webhook_configs:
      - url: '$1'
        send_resolved: true
        max_alerts: 0
$auth
YAML
}

start() {
  local receiver=$1
  if ! command -v "$AM_BIN" >/dev/null 2>&1; then
    echo "start-alertmanager.sh: $AM_BIN is not installed; apt-get install -y prometheus-alertmanager" >&2
    exit 1
  fi
  mkdir -p "$dir/data"
  dir=$(cd "$dir" && pwd)
  write_config "$receiver"

  local attempt port pid started
  started=$(date +%s%N)
  for attempt in 1 2 3 4 5; do
    port=$(free_port)
    # setsid: its own process group, so a test runner's Ctrl-C does not leave it half-stopped.
    setsid "$AM_BIN" --config.file="$dir/alertmanager.yml" --storage.path="$dir/data" \
      --web.listen-address="127.0.0.1:$port" --web.external-url="http://127.0.0.1:$port" \
      --cluster.listen-address= --log.level=debug >"$dir/alertmanager.log" 2>&1 </dev/null &
    pid=$!
    echo "$pid" >"$dir/alertmanager.pid"
    for _ in $(seq 1 100); do
      if ! alive "$pid"; then
        break
      fi
      if answers_ok GET /-/ready "$port"; then
        echo "$port" >"$dir/port"
        echo "export AM_URL=http://127.0.0.1:$port AM_ADDR=127.0.0.1:$port AM_PID=$pid AM_DIR=$dir"
        echo "# ready after $(( ($(date +%s%N) - started) / 1000000 )) ms" >&2
        return 0
      fi
      sleep 0.1
    done
    echo "start-alertmanager.sh: not ready on port $port (attempt $attempt)" >&2
    kill -9 "$pid" 2>/dev/null || true
  done
  tail -n 20 "$dir/alertmanager.log" >&2 || true
  exit 1
}

# The settings (GROUP_WAIT, ...) come from the environment again: the caller passes the same ones as at start.
reload() {
  if [ ! -f "$dir/port" ]; then
    echo "start-alertmanager.sh: $dir was not started by this script" >&2
    exit 1
  fi
  dir=$(cd "$dir" && pwd)
  write_config "$1"
  answers_ok POST /-/reload "$(cat "$dir/port")" || {
    echo "start-alertmanager.sh: Alertmanager on port $(cat "$dir/port") did not take the new configuration" >&2
    tail -n 20 "$dir/alertmanager.log" >&2 || true
    exit 1
  }
}

stop() {
  [ -d "$dir" ] || return 0
  if [ -f "$dir/alertmanager.pid" ]; then
    local pid
    pid=$(cat "$dir/alertmanager.pid")
    if [ -n "$pid" ] && alive "$pid"; then
      kill "$pid" 2>/dev/null || true
      for _ in $(seq 1 50); do
        alive "$pid" || break
        sleep 0.1
      done
      if alive "$pid"; then
        echo "start-alertmanager.sh: alertmanager $pid still alive after SIGTERM; killing it" >&2
        kill -9 "$pid" 2>/dev/null || true
      fi
    fi
  fi
  rm -rf "$dir"
}

case "$command" in
  start)
    if [ -z "${3:-}" ]; then
      echo "usage: $0 start DIR RECEIVER_URL" >&2
      exit 2
    fi
    start "$3"
    ;;
  reload)
    if [ -z "${3:-}" ]; then
      echo "usage: $0 reload DIR RECEIVER_URL" >&2
      exit 2
    fi
    reload "$3"
    ;;
  stop) stop ;;
  *)
    echo "usage: $0 start DIR RECEIVER_URL | reload DIR RECEIVER_URL | stop DIR" >&2
    exit 2
    ;;
esac
