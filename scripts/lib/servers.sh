# Shared by the scripts that start throwaway servers for the tests (start-postgres.sh, start-prometheus.sh, start-unleash.sh,
# start-alertmanager.sh). Sourced, not run.

# free_port: a port on 127.0.0.1 that nothing listens on (random, so parallel runs rarely collide).
free_port() {
  local port
  for _ in $(seq 1 50); do
    port=$((20000 + RANDOM % 40000))
    if ! (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null; then
      echo "$port"
      return 0
    fi
  done
  echo "$(basename "$0"): no free port found" >&2
  return 1
}

# alive PID: the process exists and is not a zombie (PID 1 here reaps orphans late).
alive() {
  kill -0 "$1" 2>/dev/null && ! grep -q '^State:[[:space:]]*Z' "/proc/$1/status" 2>/dev/null
}

# stop_pidfile FILE COMM: stops the process whose PID FILE holds, only if it is still ours (its /proc comm is COMM: a
# recycled PID may belong to anything by now): SIGTERM, up to 5 s, then SIGKILL.
stop_pidfile() {
  local file=$1 comm=$2 pid
  [ -f "$file" ] || return 0
  pid=$(cat "$file")
  if [ -n "$pid" ] && alive "$pid" && [ "$(cat "/proc/$pid/comm" 2>/dev/null)" = "$comm" ]; then
    kill -TERM "$pid" 2>/dev/null || true
    for _ in $(seq 1 50); do
      alive "$pid" || break
      sleep 0.1
    done
    if alive "$pid"; then
      echo "$(basename "$0"): $comm $pid still alive 5 s after SIGTERM; killing it" >&2
      kill -9 "$pid" 2>/dev/null || true
    fi
  fi
}
