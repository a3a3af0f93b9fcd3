-- wrk script: GET a random line of the file named by $WRK_PATHS ("<path>\t<cookie>" per line).
-- "{n}" in a path becomes a number unique to this request (thread id x counter): a search nobody made before.
-- At the end, one line "JSON {...}" with the counts and latencies the benchmark reads.
local items = {}
local counter = 0

function setup(thread)
  local n = (_G.threads_started or 0) + 1
  _G.threads_started = n
  thread:set("tid", n)
end

function init(args)
  local file = assert(io.open(os.getenv("WRK_PATHS"), "r"))
  for line in file:lines() do
    local path, cookie = line:match("^([^\t]*)\t?(.*)$")
    if path and path ~= "" then
      table.insert(items, {path, cookie})
    end
  end
  file:close()
  math.randomseed(os.time() * 1000 + (tid or 0))
end

function request()
  local item = items[math.random(#items)]
  counter = counter + 1
  local path = item[1]:gsub("{n}", tostring(tid) .. "x" .. tostring(counter))
  local headers = {}
  if item[2] ~= "" then
    headers["Cookie"] = item[2]
  end
  return wrk.format("GET", path, headers)
end

function done(summary, latency, requests)
  local e = summary.errors
  io.write(string.format(
    'JSON {"requests": %d, "duration_us": %d, "connect": %d, "read": %d, "write": %d, "status": %d, ' ..
    '"timeout": %d, "p50_us": %d, "p99_us": %d, "mean_us": %.1f, "max_us": %d}\n',
    summary.requests, summary.duration, e.connect, e.read, e.write, e.status, e.timeout,
    latency:percentile(50), latency:percentile(99), latency.mean, latency.max))
end
