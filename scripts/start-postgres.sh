#!/usr/bin/env bash
# A throwaway PostgreSQL 15 for tests: trust auth, 127.0.0.1 only, a free port, everything under DIR.
#   eval "$(scripts/start-postgres.sh start DIR [PORT])"   prints: export PGDIR=... PGHOST=127.0.0.1 PGPORT=... PGUSER=postgres PGPID=...
#   scripts/start-postgres.sh stop DIR                     fast shutdown, kill the postmaster if it lingers, remove DIR
#   scripts/start-postgres.sh pause DIR                    an outage: fast shutdown, the data and the port kept
#   eval "$(scripts/start-postgres.sh resume DIR)"         the outage ends: started again on the same data and port
# Progress goes to stderr; stdout carries only the export lines.
set -euo pipefail
# shellcheck source=lib/servers.sh
. "$(dirname "$0")/lib/servers.sh"

# PostgreSQL 15 as the specs say; failing that, the newest the distribution installed.
if [ -z "${PGBIN:-}" ]; then
  if [ -x /usr/lib/postgresql/15/bin/initdb ]; then
    PGBIN=/usr/lib/postgresql/15/bin
  else
    PGBIN=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1 || true)
  fi
fi
command=${1:-}
dir=${2:-}
if [ -z "$command" ] || [ -z "$dir" ]; then
  echo "usage: $0 start|stop|pause|resume DIR [PORT]" >&2
  exit 2
fi

# initdb refuses to run as root; as anyone else, run as that user.
as_owner() {
  if [ "$(id -u)" -eq 0 ]; then
    runuser -u postgres -- "$@"
  else
    "$@"
  fi
}

# A port nobody listens on; pg_ctl still fails cleanly if someone takes it first, and start retries.
start() {
  if [ -z "$PGBIN" ] || [ ! -x "$PGBIN/initdb" ]; then
    echo "start-postgres.sh: PostgreSQL is not installed (no /usr/lib/postgresql/*/bin/initdb); apt-get install -y postgresql" >&2
    exit 1
  fi
  mkdir -p "$dir"
  dir=$(cd "$dir" && pwd)
  if [ "$(id -u)" -eq 0 ]; then
    id postgres >/dev/null 2>&1 || useradd --system --no-create-home --shell /usr/sbin/nologin postgres
    chown postgres:postgres "$dir"
  fi

  as_owner "$PGBIN/initdb" -D "$dir/data" -U postgres -E UTF8 --locale=C --auth=trust --no-sync >"$dir/initdb.log" 2>&1 || {
    cat "$dir/initdb.log" >&2
    exit 1
  }

  local port=${1:-} attempt
  for attempt in 1 2 3 4 5; do
    [ -n "${1:-}" ] || port=$(free_port)
    if launch "$port"; then
      return 0
    fi
    echo "start-postgres.sh: start on port $port failed (attempt $attempt)" >&2
    [ -z "${1:-}" ] || break
  done
  tail -n 20 "$dir/postgres.log" >&2 || true
  exit 1
}

# launch PORT: pg_ctl start on DIR's data; remembers the port (for resume) and prints the export lines.
launch() {
  local port=$1 pid
  as_owner "$PGBIN/pg_ctl" -D "$dir/data" -l "$dir/postgres.log" -w -t 30 \
    -o "-p $port -c listen_addresses=127.0.0.1 -c unix_socket_directories=$dir -c fsync=off -c synchronous_commit=off -c full_page_writes=off" \
    start >&2 || return 1
  echo "$port" >"$dir/port"
  pid=$(head -n 1 "$dir/data/postmaster.pid")
  echo "export PGDIR=$dir PGHOST=127.0.0.1 PGPORT=$port PGUSER=postgres PGPID=$pid"
  echo "export DATABASE_URL=postgres://postgres@127.0.0.1:$port/postgres"
}

# An outage a test can end: the server stops (its clients' connections break), the data stays for resume.
pause() {
  if [ ! -f "$dir/data/postmaster.pid" ]; then
    echo "start-postgres.sh: no server running in $dir" >&2
    exit 1
  fi
  as_owner "$PGBIN/pg_ctl" -D "$dir/data" -m fast -w -t 30 stop >&2
}

# The same data on the same port, so that clients configured with it reconnect.
resume() {
  if [ ! -f "$dir/port" ]; then
    echo "start-postgres.sh: $dir was not started by this script" >&2
    exit 1
  fi
  launch "$(cat "$dir/port")" || {
    tail -n 20 "$dir/postgres.log" >&2 || true
    exit 1
  }
}

# A stopped postmaster can linger as a zombie until PID 1 reaps it; that holds no port and needs no kill.
stop() {
  [ -d "$dir" ] || return 0
  if [ -f "$dir/data/postmaster.pid" ]; then
    local pid
    pid=$(head -n 1 "$dir/data/postmaster.pid")
    as_owner "$PGBIN/pg_ctl" -D "$dir/data" -m fast -w -t 30 stop >&2 || true
    if [ -n "$pid" ] && alive "$pid"; then
      echo "start-postgres.sh: postmaster $pid still alive after pg_ctl stop; killing it" >&2
      kill -9 "$pid" 2>/dev/null || true
    fi
  fi
  rm -rf "$dir"
}

case "$command" in
  start) start "${3:-}" ;;
  stop) stop ;;
  pause) pause ;;
  resume) resume ;;
  *)
    echo "usage: $0 start|stop|pause|resume DIR [PORT]" >&2
    exit 2
    ;;
esac
