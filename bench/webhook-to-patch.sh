#!/usr/bin/env bash
# Alertmanager webhook -> the undo's PATCH on the Kubernetes simulator, with the alert wake-up (issue 14, item 3); RUNS=10 TARGETS=100 by default.
# Server GC (DOTNET_gcServer=1), as the daemon (a Web SDK app) runs by default; the benchmark project itself is a console app.
set -euo pipefail; cd "$(dirname "$0")/.."; export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1 DOTNET_gcServer=1; uptime; dotnet run -c Release --project bench/Watchdog.Benchmarks -- webhook-to-patch --runs "${RUNS:-10}" --targets "${TARGETS:-100}"; uptime
