-- wrk's script for `make bench` (bench/__main__.py writes the requests): each request is
-- the next line of BENCH_WRK_REQUESTS, "METHOD PATH COOKIE [BODY]" ("-" for no cookie),
-- every thread from its own offset; at the end, one line of counts and percentiles.
local prepared = {}
for line in io.lines(os.getenv("BENCH_WRK_REQUESTS")) do
  local method, path, cookie, body = line:match("^(%S+) (%S+) (%S+) ?(.*)$")
  local headers = {}
  if cookie ~= "-" then headers["Cookie"] = cookie:gsub(";", "; ") end
  if method == "POST" then headers["Content-Type"] = "application/x-www-form-urlencoded" end
  prepared[#prepared + 1] = wrk.format(method, path, headers, body ~= "" and body or nil)
end

local threads, counter = 0, 0
function setup(thread)
  thread:set("offset", threads * 7919)
  threads = threads + 1
end

function request()
  counter = counter + 1
  return prepared[((offset or 0) + counter) % #prepared + 1]
end

function done(summary, latency, _requests)
  local e = summary.errors
  local seconds = summary.duration / 1e6
  io.write(string.format(
    'WRKJSON {"requests": %d, "failures": %d, "rps": %f, "p50": %.0f, "p95": %.0f, "p99": %.0f}\n',
    summary.requests, e.status + e.connect + e.read + e.write + e.timeout,
    summary.requests / seconds,
    latency:percentile(50) / 1000, latency:percentile(95) / 1000, latency:percentile(99) / 1000))
end
