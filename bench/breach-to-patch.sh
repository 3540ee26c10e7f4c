#!/usr/bin/env bash
# Error-rate breach -> the undo's PATCH on the Kubernetes simulator (issue 14, item 3): a real Prometheus (scripts/start-prometheus.sh,
# 200 ms scrape) scraping a sample app that starts failing 20 % of its requests, the daemon in-process at interval 250 ms.
#   bench/breach-to-patch.sh          FORS=0s,30s RUNS=10 WINDOW=1s by default (for 30s, ten runs take about 6 minutes)
# Server GC (DOTNET_gcServer=1), as the daemon (a Web SDK app) runs by default. Load average before and after.
set -euo pipefail
cd "$(dirname "$0")/.."
export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1 DOTNET_gcServer=1
command -v prometheus >/dev/null 2>&1 || { echo "breach-to-patch.sh: needs prometheus (apt-get install -y --no-install-recommends prometheus)" >&2; exit 1; }
dotnet build bench/Watchdog.Benchmarks -c Release --nologo -clp:ErrorsOnly >&2
echo "before: $(uptime)"
dotnet bench/Watchdog.Benchmarks/bin/Release/net10.0/Watchdog.Benchmarks.dll breach-to-patch \
  --for "${FORS:-0s,30s}" --runs "${RUNS:-10}" --window "${WINDOW:-1s}"
echo "after:  $(uptime)"
echo "machine: $(nproc) cores, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ //')"
