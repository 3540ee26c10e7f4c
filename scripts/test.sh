#!/usr/bin/env bash
# Builds the solution, runs every test project under tests/, and ends with one line: "N passed, M failed".
set -euo pipefail
cd "$(dirname "$0")/.."

export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1 DOTNET_SKIP_FIRST_TIME_EXPERIENCE=1

# ensure_tool COMMAND [APT_PACKAGE...]: installs the packages with apt-get when COMMAND is missing.
# COMMAND is a name looked up on PATH, or a path to an executable (for tools packaged off PATH).
# Later issues add the servers the integration tests need, e.g. `ensure_tool prometheus prometheus`.
ensure_tool() {
  local tool=$1
  shift
  if [[ $tool == */* ]]; then
    if [ -x "$tool" ]; then
      return 0
    fi
  elif command -v "$tool" >/dev/null 2>&1; then
    return 0
  fi
  if [ $# -eq 0 ] || ! command -v apt-get >/dev/null 2>&1; then
    echo "test.sh: '$tool' is required and not installed" >&2
    exit 1
  fi
  local sudo=()
  if [ "$(id -u)" -ne 0 ]; then
    sudo=(sudo)
  fi
  echo "test.sh: installing $* for '$tool'" >&2
  "${sudo[@]}" apt-get update -qq
  "${sudo[@]}" env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "$@"
}

# counter NAME TRX: the value of one attribute of the TRX <Counters> element, 0 when absent.
counter() {
  local value
  value=$(grep -o "<Counters [^>]*" "$2" | grep -o " $1=\"[0-9]*\"" | grep -o '[0-9]\+' | head -n 1 || true)
  echo "${value:-0}"
}

ensure_tool dotnet
# The store's integration tests run a throwaway PostgreSQL 15 (scripts/start-postgres.sh).
ensure_tool /usr/lib/postgresql/15/bin/initdb postgresql
# The Prometheus source's integration tests run a real Prometheus 2.x (scripts/start-prometheus.sh).
ensure_tool prometheus prometheus
# The webhook tests run a real Alertmanager 0.25 (scripts/start-alertmanager.sh); Debian names its binary prometheus-alertmanager.
ensure_tool prometheus-alertmanager prometheus-alertmanager
# The Kubernetes simulator tests drive a real kubectl; Debian ships it as kubernetes-client.
ensure_tool kubectl kubernetes-client
# The flag providers' integration tests run a real Unleash 8.2 (npm unleash-server, pinned) on Node; installed once
# into a cache folder outside the work tree, a no-op when it is there (scripts/start-unleash.sh).
ensure_tool node nodejs
ensure_tool npm npm
scripts/start-unleash.sh install
# The Helm chart's static checks lint Chart.yaml and values.yaml (tests/Watchdog.Tests/Packaging).
ensure_tool yamllint yamllint
# The systemd unit is checked with `systemd-analyze verify` (the unit is parsed, never started; nothing is booted).
ensure_tool systemd-analyze systemd

dotnet build Watchdog.sln -c Release --nologo -clp:ErrorsOnly

results=artifacts/test-results
rm -rf "$results"
mkdir -p "$results"

total_passed=0
total_failed=0
total_skipped=0
broken=0
found=0

for project in tests/*/*.csproj; do
  [ -e "$project" ] || continue
  if ! grep -q -e '<IsTestProject>true</IsTestProject>' -e 'Microsoft.NET.Test.Sdk' "$project"; then
    continue
  fi
  found=$((found + 1))
  name=$(basename "$project" .csproj)
  trx="$results/$name.trx"

  status=0
  # A test that hangs (an await that can never complete) is stopped after 5 minutes without output and reported,
  # so CI ends with a named failure instead of running out its time.
  dotnet test "$project" --no-build -c Release --nologo \
    --logger "trx;LogFileName=$name.trx" --results-directory "$results" \
    --blame-hang-timeout 5m --blame-hang-dump-type none || status=$?

  if [ ! -f "$trx" ]; then
    echo "$name: did not run (dotnet test exited $status)"
    broken=1
    continue
  fi

  total=$(counter total "$trx")
  passed=$(counter passed "$trx")
  failed=$(( $(counter failed "$trx") + $(counter error "$trx") + $(counter timeout "$trx") + $(counter aborted "$trx") ))
  skipped=$(( total - passed - failed ))
  if [ "$skipped" -lt 0 ]; then
    skipped=0
  fi

  line="$name: $passed passed, $failed failed"
  if [ "$skipped" -gt 0 ]; then
    line="$line, $skipped skipped"
  fi
  echo "$line"

  # A crashed test host can leave a TRX whose counters show no failure; the exit code still tells.
  if [ "$status" -ne 0 ] && [ "$failed" -eq 0 ]; then
    echo "$name: dotnet test exited $status"
    broken=1
  fi

  total_passed=$((total_passed + passed))
  total_failed=$((total_failed + failed))
  total_skipped=$((total_skipped + skipped))
done

if [ "$found" -eq 0 ]; then
  echo "test.sh: no test projects under tests/" >&2
  broken=1
fi

summary="$total_passed passed, $total_failed failed"
if [ "$total_skipped" -gt 0 ]; then
  summary="$summary, $total_skipped skipped"
fi
echo "$summary"

if [ "$total_failed" -gt 0 ] || [ "$broken" -ne 0 ]; then
  exit 1
fi
