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
