-- wrk script of benchmarks/web: counts answers by status and prints one JSON line at the end.
--
-- Environment (set by the benchmark):
--   BENCH_KIND     get (default) | register | book
--   BENCH_HEADERS  extra headers, one "Name: value" per line (cookie, token)
--   BENCH_SESSION  register: the evening session id to register for
--   BENCH_TOKENS   book: a file with one parent API token per line
--   BENCH_OFFERS   book: comma-separated offer ids
--   BENCH_RUN      a run id that keeps emails and idempotency keys unique across runs
-- Writes go to the JSON API (no CSRF there: the registration API is public and takes no
-- session, the booking API takes a token), each with a unique Idempotency-Key.

local threads = {}
local next_id = 0

function setup(thread)
  next_id = next_id + 1
  thread:set("tid", next_id)
  table.insert(threads, thread)
end

local function lines(path)
  local out = {}
  local f = io.open(path, "r")
  if f then
    for line in f:lines() do
      if #line > 0 then table.insert(out, line) end
    end
    f:close()
  end
  return out
end

function init(args)
  kind = os.getenv("BENCH_KIND") or "get"
  run = os.getenv("BENCH_RUN") or tostring(os.time())
  statuses = {}
  counter = 0
  local extra = os.getenv("BENCH_HEADERS") or ""
  for name, value in extra:gmatch("([^:\n]+):%s*([^\n]*)") do
    wrk.headers[name] = value
  end
  math.randomseed(os.time() + tid * 7919)
  if kind == "register" then
    path = "/api/v1/avonden/" .. os.getenv("BENCH_SESSION") .. "/aanmeldingen/"
    wrk.method = "POST"
    wrk.headers["Content-Type"] = "application/json"
  elseif kind == "book" then
    path = "/api/v1/respite/bookings/"
    wrk.method = "POST"
    wrk.headers["Content-Type"] = "application/json"
    tokens = lines(os.getenv("BENCH_TOKENS"))
    offers = {}
    for id in (os.getenv("BENCH_OFFERS") or ""):gmatch("%d+") do table.insert(offers, id) end
  end
end

-- wrk.format() replaces wrk.headers when given headers: merge them.
local function with_headers(extra)
  local h = {}
  for k, v in pairs(wrk.headers) do h[k] = v end
  for k, v in pairs(extra) do h[k] = v end
  return h
end

function request()
  counter = counter + 1
  if kind == "register" then
    local key = string.format("%s-%d-%d", run, tid, counter)
    local body = string.format(
      '{"name":"Bench Bezoeker","email":"r%s@example.org","postcode":"7411","attendees":1,'
        .. '"interests":["full_time"],"source":"website","consent":true}', key)
    return wrk.format("POST", path, with_headers({["Idempotency-Key"] = "r" .. key}), body)
  elseif kind == "book" then
    local key = string.format("%s-%d-%d", run, tid, counter)
    local token = tokens[(counter * 2 + tid) % #tokens + 1]
    local offer = offers[math.random(#offers)]
    local start = os.time() + 86400 * math.random(3, 80)
    local stop = start + 86400 * math.random(1, 2)
    local body = string.format(
      '{"offer":%s,"start":"%s","end":"%s","child":{"ref":"B%s","age":12,"needs":[]}}',
      offer, os.date("%Y-%m-%d", start), os.date("%Y-%m-%d", stop), key)
    return wrk.format("POST", path, with_headers({
      ["Authorization"] = "Token " .. token,
      ["Idempotency-Key"] = "b" .. key,
    }), body)
  end
  return wrk.format()
end

function response(status, headers, body)
  statuses[status] = (statuses[status] or 0) + 1
end

function done(summary, latency, requests)
  local merged = {}
  for _, thread in ipairs(threads) do
    local counts = thread:get("statuses")
    for status, n in pairs(counts or {}) do
      merged[status] = (merged[status] or 0) + n
    end
  end
  local parts = {}
  for status, n in pairs(merged) do
    table.insert(parts, string.format('"%d":%d', status, n))
  end
  local e = summary.errors
  io.write(string.format(
    'BENCHJSON {"requests":%d,"duration_us":%d,"mean_us":%.1f,"p50_us":%d,"p95_us":%d,'
      .. '"p99_us":%d,"socket_errors":%d,"statuses":{%s}}\n',
    summary.requests, summary.duration, latency.mean, latency:percentile(50),
    latency:percentile(95), latency:percentile(99),
    e.connect + e.read + e.write + e.timeout, table.concat(parts, ",")))
end
