#!/usr/bin/env bash
# A throwaway Unleash 8.2 (npm unleash-server, run on the machine's Node) for tests: 127.0.0.1 only, a free port,
# its own fresh database on a PostgreSQL the caller started (scripts/start-postgres.sh), everything else under DIR.
#   scripts/start-unleash.sh install
#       npm install unleash-server@$UNLEASH_VERSION (8.2.0) into $UNLEASH_HOME, outside the work tree; a no-op when there
#   eval "$(PGPORT=... scripts/start-unleash.sh start DIR)"
#       drops and creates database unleash_<port>, starts Unleash, waits for /health; prints:
#       export UNLEASH_URL=http://127.0.0.1:PORT UNLEASH_PID=... UNLEASH_DIR=DIR UNLEASH_DB=unleash_PORT
#       export UNLEASH_ADMIN_TOKEN=... UNLEASH_CLIENT_TOKEN=... (development) UNLEASH_CLIENT_TOKEN_PROD=... (production)
#   scripts/start-unleash.sh stop DIR        SIGTERM by PID, SIGKILL if it lingers, remove DIR (the database is left to the PostgreSQL)
# Settings from the environment: PGPORT (required for start), PGHOST (127.0.0.1), PGUSER (postgres), UNLEASH_HOME,
# UNLEASH_VERSION. The tokens are the well-known insecure ones of a test server; Unleash applies INIT_*_API_TOKENS only
# to an empty token table, which is why start always begins with a fresh database.
# Progress goes to stderr; stdout carries only the export lines.
set -euo pipefail
# shellcheck source=lib/servers.sh
. "$(dirname "$0")/lib/servers.sh"

UNLEASH_VERSION=${UNLEASH_VERSION:-8.2.0}
UNLEASH_HOME=${UNLEASH_HOME:-${XDG_CACHE_HOME:-$HOME/.cache}/watchdog/unleash-server-$UNLEASH_VERSION}
ADMIN_TOKEN='*:*.unleash-insecure-admin-api-token'
CLIENT_TOKEN='default:development.unleash-insecure-api-token'
CLIENT_TOKEN_PROD='default:production.unleash-insecure-prod-api-token'
SERVER_JS=node_modules/unleash-server/dist/server.js

command=${1:-}
dir=${2:-}

now_ms() { date +%s%3N; }

usage() {
  echo "usage: $0 install | start DIR | stop DIR" >&2
  exit 2
}

installed() {
  [ -f "$UNLEASH_HOME/$SERVER_JS" ] &&
    grep -q "\"version\": \"$UNLEASH_VERSION\"" "$UNLEASH_HOME/node_modules/unleash-server/package.json" 2>/dev/null
}

install() {
  if installed; then
    return 0
  fi
  if ! command -v npm >/dev/null 2>&1; then
    echo "start-unleash.sh: npm is not installed; apt-get install -y nodejs npm" >&2
    exit 1
  fi
  mkdir -p "$UNLEASH_HOME"
  [ -f "$UNLEASH_HOME/package.json" ] || echo '{"name":"watchdog-unleash","private":true}' >"$UNLEASH_HOME/package.json"
  local started
  started=$(now_ms)
  # 8.x declares node >=22 but runs on Node 20 (EBADENGINE warnings only). No install scripts: one is an analytics
  # ping, the other an optional native build neither needed here.
  npm install --prefix "$UNLEASH_HOME" --no-audit --no-fund --ignore-scripts --loglevel=error \
    "unleash-server@$UNLEASH_VERSION" >&2
  installed || {
    echo "start-unleash.sh: unleash-server@$UNLEASH_VERSION did not install into $UNLEASH_HOME" >&2
    exit 1
  }
  echo "# installed unleash-server@$UNLEASH_VERSION in $(($(now_ms) - started)) ms" >&2
}

psql_run() {
  PGOPTIONS="-c client_min_messages=warning" psql -h "${PGHOST:-127.0.0.1}" -p "$PGPORT" -U "${PGUSER:-postgres}" -d postgres -v ON_ERROR_STOP=1 -q -c "$1" >&2
}

start() {
  [ -n "$dir" ] || usage
  if [ -z "${PGPORT:-}" ]; then
    echo "start-unleash.sh: set PGPORT (eval \"\$(scripts/start-postgres.sh start DIR)\" first)" >&2
    exit 2
  fi
  if ! installed; then
    echo "start-unleash.sh: unleash-server@$UNLEASH_VERSION is not installed in $UNLEASH_HOME; run $0 install" >&2
    exit 1
  fi
  mkdir -p "$dir"
  dir=$(cd "$dir" && pwd)

  local started port pid db attempt ready=0
  started=$(now_ms)
  for attempt in 1 2 3 4 5; do
    port=$(free_port)
    db=unleash_$port
    psql_run "DROP DATABASE IF EXISTS $db"
    psql_run "CREATE DATABASE $db TEMPLATE template0"
    # Output to a file and stdin from /dev/null: a caller reading our stdout must not wait for Unleash to exit.
    (
      cd "$UNLEASH_HOME"
      exec env DATABASE_URL="postgres://${PGUSER:-postgres}@${PGHOST:-127.0.0.1}:$PGPORT/$db" DATABASE_SSL=false \
        HTTP_HOST=127.0.0.1 HTTP_PORT="$port" UNLEASH_URL="http://127.0.0.1:$port" \
        CHECK_VERSION=false SEND_TELEMETRY=false LOG_LEVEL=warn TZ=UTC \
        INIT_ADMIN_API_TOKENS="$ADMIN_TOKEN" \
        INIT_BACKEND_API_TOKENS="$CLIENT_TOKEN,$CLIENT_TOKEN_PROD" \
        node "$SERVER_JS"
    ) >"$dir/unleash.log" 2>&1 </dev/null &
    pid=$!
    echo "$pid" >"$dir/unleash.pid"
    # Migrations on a fresh database take 2-4 s; 30 s is a server that will not come up.
    for _ in $(seq 1 300); do
      if ! alive "$pid"; then
        break
      fi
      if curl -fsS "http://127.0.0.1:$port/health" 2>/dev/null | grep -q GOOD; then
        ready=1
        break
      fi
      sleep 0.1
    done
    [ "$ready" -eq 1 ] && break
    echo "start-unleash.sh: start on port $port failed (attempt $attempt)" >&2
    kill -9 "$pid" 2>/dev/null || true
    tail -n 5 "$dir/unleash.log" >&2 || true
  done
  if [ "$ready" -ne 1 ]; then
    tail -n 20 "$dir/unleash.log" >&2 || true
    exit 1
  fi
  echo "# healthy after $(($(now_ms) - started)) ms" >&2
  echo "export UNLEASH_URL=http://127.0.0.1:$port UNLEASH_PID=$pid UNLEASH_DIR=$dir UNLEASH_DB=$db"
  echo "export UNLEASH_ADMIN_TOKEN='$ADMIN_TOKEN' UNLEASH_CLIENT_TOKEN='$CLIENT_TOKEN' UNLEASH_CLIENT_TOKEN_PROD='$CLIENT_TOKEN_PROD'"
}

stop() {
  [ -n "$dir" ] || usage
  [ -d "$dir" ] || return 0
  stop_pidfile "$dir/unleash.pid" node
  rm -rf "$dir"
}

case "$command" in
  install) install ;;
  start) start ;;
  stop) stop ;;
  *) usage ;;
esac
