-- One bench/run scenario for wrk. Environment:
--   BENCH_REQUESTS  a file of request lines "METHOD PATH [BODY_FILE]"; every request picks a
--                   line at random, so weights are given by repeating lines
--   BENCH_AUTH      the Authorization header value (optional)
-- When done it prints "RESULT <requests/s> <p50 ms> <p99 ms> <requests> <errors>", where
-- errors counts socket errors, timeouts and non-2xx/3xx answers.

local prepared = {}

local function read_file(path)
  local file = assert(io.open(path, "rb"))
  local content = file:read("*a")
  file:close()
  return content
end

function init(args)
  local headers = {
    ["Accept"] = "application/json;charset=utf-8",
    ["Accept-Encoding"] = "gzip",
    ["Content-Type"] = "application/json",
  }
  local auth = os.getenv("BENCH_AUTH")
  if auth and auth ~= "" then headers["Authorization"] = auth end
  local bodies = {}
  for line in io.lines(os.getenv("BENCH_REQUESTS")) do
    local method, path, body_file = line:match("^(%S+)%s+(%S+)%s*(%S*)")
    if method then
      local body = nil
      if body_file ~= "" then
        bodies[body_file] = bodies[body_file] or read_file(body_file)
        body = bodies[body_file]
      end
      prepared[#prepared + 1] = wrk.format(method, path, headers, body)
    end
  end
  math.randomseed(os.time() + tonumber(tostring({}):match("0x(%x+)") or "0", 16) % 100000)
end

function request()
  return prepared[math.random(#prepared)]
end

function done(summary, latency, requests)
  local errors = summary.errors
  local failed = errors.connect + errors.read + errors.write + errors.timeout + errors.status
  io.write(string.format("RESULT %.1f %.2f %.2f %d %d\n",
    summary.requests / (summary.duration / 1e6),
    latency:percentile(50) / 1000, latency:percentile(99) / 1000,
    summary.requests, failed))
end
