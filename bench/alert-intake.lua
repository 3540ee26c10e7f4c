-- wrk script for bench/alert-intake.sh: POSTs the captured firing webhook (tests/fixtures/alertmanager/
-- alertmanager-webhook-firing.raw) to /api/v1/alerts, with a fingerprint unique to each request (thread id and a
-- counter, prefixed by the run name), so that every request is stored rather than answered as a duplicate.
-- Arguments after `--`: RUN_PREFIX (up to 4 hex digits) FIXTURE_PATH.

local threads = {}
local counter = 0
local template
local prefix

function setup(thread)
  thread:set("id", #threads + 1)
  table.insert(threads, thread)
end

function init(args)
  prefix = args[1] or "0"
  local file = assert(io.open(args[2] or "tests/fixtures/alertmanager/alertmanager-webhook-firing.raw", "rb"))
  template = file:read("*a")
  file:close()
  wrk.method = "POST"
  wrk.headers["Content-Type"] = "application/json"
  wrk.headers["User-Agent"] = "Alertmanager/0.25.0 (wrk)"
  non2xx = 0
end

function request()
  counter = counter + 1
  local fingerprint = string.format("%s%02x%010x", prefix, id, counter)
  local body = template:gsub("ce9c48e008abdf90", fingerprint)
  return wrk.format(nil, "/api/v1/alerts", nil, body)
end

function response(status, headers, body)
  if status ~= 200 then
    non2xx = non2xx + 1
  end
end

function done(summary, latency, requests)
  local errors = summary.errors
  local bad = 0
  for _, thread in ipairs(threads) do
    bad = bad + (thread:get("non2xx") or 0)
  end
  local seconds = summary.duration / 1e6
  io.write(string.format("requests: %d in %.2f s = %.0f/s; non-200: %d; socket errors: connect %d, read %d, write %d, timeout %d\n",
    summary.requests, seconds, summary.requests / seconds, bad, errors.connect, errors.read, errors.write, errors.timeout))
  io.write(string.format("latency ms: p50 %.2f  p90 %.2f  p99 %.2f  p99.9 %.2f  max %.2f  mean %.2f\n",
    latency:percentile(50) / 1000, latency:percentile(90) / 1000, latency:percentile(99) / 1000,
    latency:percentile(99.9) / 1000, latency.max / 1000, latency.mean / 1000))
end
